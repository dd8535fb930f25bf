//! "Did you mean …?" for names that are almost right: a category typed as
//! 志愿服 instead of 志愿服务, an outlet with one character wrong.

/// The closest candidate, if it is close enough to be a likely typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.trim().to_lowercase();
    let input_len = input.chars().count();
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let lowered = candidate.to_lowercase();
            let distance = strsim::levenshtein(&input, &lowered);
            let longest = input_len.max(lowered.chars().count());
            // Allow one edit in short names, about a third of the length in longer ones;
            // also accept a name that contains (or is contained in) the input.
            let close = distance <= (longest / 3).max(1)
                || strsim::normalized_levenshtein(&input, &lowered) >= 0.55
                || (input_len >= 2
                    && (is_subsequence(&input, &lowered) || is_subsequence(&lowered, &input)));
            close.then_some((distance, candidate))
        })
        .min_by_key(|(distance, candidate)| (*distance, *candidate))
        .map(|(_, candidate)| candidate)
}

/// Whether every character of `short` appears in `long`, in order (大众网 in 大众日报网).
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut long = long.chars();
    short.chars().count() >= 2 && short.chars().all(|c| long.any(|l| l == c))
}

/// Formats the hint sentence for a suggestion, or lists what is allowed.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match closest(input, candidates.clone()) {
        Some(best) => format!("你是不是想写“{best}”？"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            format!("可以用的有：{}", all.join("、"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_chinese_name_with_a_missing_character() {
        assert_eq!(
            closest("志愿服", ["理论宣讲", "志愿服务", "身边好人"]),
            Some("志愿服务")
        );
    }

    #[test]
    fn finds_a_key_with_a_typo() {
        assert_eq!(
            closest("voluntear", ["lectures", "volunteer", "news"]),
            Some("volunteer")
        );
    }

    #[test]
    fn finds_an_outlet_written_longer() {
        assert_eq!(
            closest("大众日报网", ["学习强国", "大众网", "测试发布"]),
            Some("大众网")
        );
    }

    #[test]
    fn unrelated_input_has_no_suggestion() {
        assert_eq!(closest("体育", ["理论宣讲", "志愿服务"]), None);
    }
}
