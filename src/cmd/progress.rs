//! A progress bar (indicatif) for long builds, drawn only when standard
//! error is a terminal and the build is big enough to wait for.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use streetpress::progress::Progress;

/// Below this many files a build is over before a bar could help.
const WORTH_A_BAR: usize = 500;

pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar on standard error when it is a terminal, else `None`.
    pub fn on_terminal() -> Option<Bar> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} 个文件 {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message("正在生成");
        Some(Bar { bar })
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if total < WORTH_A_BAR {
            self.bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        self.bar.set_length(total as u64);
    }

    fn advance(&self) {
        // Feeds and theme files come on top of the estimate.
        if self
            .bar
            .length()
            .is_some_and(|len| self.bar.position() + 1 > len)
        {
            self.bar.inc_length(1);
        }
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
