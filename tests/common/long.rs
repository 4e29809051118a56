//! The example brief grown to about twenty pages, shared by tests and the benchmark.

/// The example with sixty outcomes (with due dates) and a seventy-paragraph background.
pub fn long_brief(example: &str) -> String {
    let mut text = example.to_string();
    let (Some(start), Some(end)) = (text.find("outcomes:"), text.find("background:")) else {
        return text;
    };
    let mut outcomes = String::from("outcomes:\n");
    for i in 1..=60 {
        outcomes.push_str(&format!(
            "  - text: Measure {i}, which needs a long enough description to wrap onto a second line of the table\n    status: agreed\n    owner: Ministry {i}\n    due: 2021-12-{:02}\n",
            1 + i % 28
        ));
    }
    text.replace_range(start..end, &outcomes);
    let para = "The sides reviewed cooperation in trade, transport, energy, education and culture, and agreed to meet again. ".repeat(8);
    let background: String = (0..70).map(|i| format!("  Paragraph {i}. {para}\n\n")).collect();
    text.replacen("background: |\n", &format!("background: |\n{background}"), 1)
}
