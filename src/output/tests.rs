use std::fs;

use super::*;

#[test]
fn refuses_the_site_root_and_its_sources() {
    let root = tempfile::tempdir().unwrap();
    assert!(check_output_dir(root.path(), root.path()).is_err());
    assert!(check_output_dir(root.path(), &root.path().join("content/out")).is_err());
    assert!(check_output_dir(&root.path().join("site"), root.path()).is_err());
    assert!(check_output_dir(root.path(), &root.path().join("public")).is_ok());
}

#[test]
fn refuses_a_foreign_folder_but_replaces_its_own() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    assert!(check_output_dir(root.path(), &out).is_err());
    fs::write(out.join(MARKER), "").unwrap();
    assert!(check_output_dir(root.path(), &out).is_ok());
}

#[test]
fn paths_cannot_leave_the_output() {
    let root = tempfile::tempdir().unwrap();
    let staging = Staging::begin(&root.path().join("public")).unwrap();
    assert!(staging.write("../escape.html", b"x").is_err());
    assert!(staging.write("a/../../escape.html", b"x").is_err());
    assert!(staging.write("ok/index.html", b"x").is_ok());
}

fn set_time(path: &Path, time: std::time::SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

fn time_of(path: &Path) -> std::time::SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn unchanged_files_keep_their_time_and_changed_ones_are_written() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let first = Staging::begin(&out).unwrap();
    first.write("a/index.html", b"same").unwrap();
    first.write("b/index.html", b"old!").unwrap();
    first.write("gone.html", b"x").unwrap();
    first.commit().unwrap();
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    set_time(&out.join("a/index.html"), past);
    set_time(&out.join("b/index.html"), past);

    let second = Staging::begin(&out).unwrap();
    second.write("a/index.html", b"same").unwrap();
    second.write("b/index.html", b"new!").unwrap(); // same size, other bytes
    assert_eq!(second.changed(), 1);
    // Until the swap the previous output is as it was.
    assert_eq!(fs::read(out.join("b/index.html")).unwrap(), b"old!");
    assert!(out.join("gone.html").exists());
    second.commit().unwrap();

    assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"same");
    assert_eq!(time_of(&out.join("a/index.html")), past);
    assert_eq!(fs::read(out.join("b/index.html")).unwrap(), b"new!");
    assert_ne!(time_of(&out.join("b/index.html")), past);
    assert!(!out.join("gone.html").exists(), "files no longer built go");
}

#[test]
fn copies_keep_the_source_time_and_are_reused_while_it_is_unchanged() {
    let root = tempfile::tempdir().unwrap();
    let source = root.path().join("photo.jpg");
    fs::write(&source, b"jpeg").unwrap();
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    set_time(&source, past);
    let out = root.path().join("public");
    let first = Staging::begin(&out).unwrap();
    first.copy("images/photo.jpg", &source).unwrap();
    first.commit().unwrap();
    assert_eq!(time_of(&out.join("images/photo.jpg")), past);

    let second = Staging::begin(&out).unwrap();
    second.copy("images/photo.jpg", &source).unwrap();
    assert_eq!(second.changed(), 0);
    second.commit().unwrap();

    fs::write(&source, b"png!").unwrap();
    let third = Staging::begin(&out).unwrap();
    third.copy("images/photo.jpg", &source).unwrap();
    assert_eq!(third.changed(), 1);
    third.commit().unwrap();
    assert_eq!(fs::read(out.join("images/photo.jpg")).unwrap(), b"png!");
}

#[test]
fn the_record_holds_only_while_the_output_is_untouched() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let staging = Staging::begin(&out).unwrap();
    staging.write("index.html", b"home").unwrap();
    staging.write("a/index.html", b"page").unwrap();
    let record = Record {
        fingerprint: 7,
        next_due: Some(1_800_000_000),
        articles: 1,
        pages: 2,
        ..Record::default()
    };
    staging.record(record).unwrap();
    staging.commit().unwrap();
    assert_eq!(current_record(&out), Some(record));

    fs::write(out.join("extra.html"), b"x").unwrap();
    assert_eq!(current_record(&out), None, "a file added by hand");
    fs::remove_file(out.join("extra.html")).unwrap();
    assert_eq!(current_record(&out), Some(record));
    fs::remove_file(out.join("a/index.html")).unwrap();
    assert_eq!(current_record(&out), None, "a file removed by hand");
}

#[test]
fn an_interrupted_commit_is_finished_by_the_next_build() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let first = Staging::begin(&out).unwrap();
    first.write("a/index.html", b"old").unwrap();
    first.write("b/index.html", b"kept").unwrap();
    first.write("gone/index.html", b"x").unwrap();
    first.commit().unwrap();
    // A commit that was cut off after its journal: nothing moved yet.
    let staged = root.path().join(".public.streetpress-new-999");
    fs::create_dir_all(staged.join("a")).unwrap();
    fs::write(staged.join("a/index.html"), b"new").unwrap();
    fs::write(
        out.join(JOURNAL),
        "streetpress-journal 1\n.public.streetpress-new-999\ngone/index.html\n",
    )
    .unwrap();
    assert_eq!(current_record(&out), None);

    let next = Staging::begin(&out).unwrap();
    assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"new");
    assert_eq!(fs::read(out.join("b/index.html")).unwrap(), b"kept");
    assert!(!out.join("gone").exists(), "its empty folder goes too");
    assert!(!out.join(JOURNAL).exists() && !staged.exists());
    drop(next);
}

#[test]
fn a_folder_of_the_old_site_may_become_a_file() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("public");
    let first = Staging::begin(&out).unwrap();
    first.write("notice/index.html", b"page").unwrap();
    first.commit().unwrap();
    let second = Staging::begin(&out).unwrap();
    second.write("notice", b"file").unwrap();
    second.commit().unwrap();
    assert_eq!(fs::read(out.join("notice")).unwrap(), b"file");
}
