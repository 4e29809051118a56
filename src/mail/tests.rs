//! Tests of the mail module: headers, bodies, encodings, determinism, the golden `.eml`.

use super::*;

fn example() -> Brief {
    let env = crate::Env::fixed(chrono::NaiveDate::from_ymd_opt(2021, 7, 1).unwrap(), Some(0));
    let bytes = include_bytes!("../../briefs/az-kg-2021-07-05.yaml");
    crate::check("az-kg-2021-07-05.yaml", bytes, &env).unwrap().brief
}

#[test]
fn scratch() {
    let mut b = example();
    b.distribution.as_mut().unwrap().to.push("Əli Əsədov <ali@example.az>".into());
    b.distribution.as_mut().unwrap().cc.push("Руслан Казакбаев <ruslan@example.kg>".into());
    let o = MessageOptions { date: 1625486400, ..Default::default() };
    let m = message(&b, b"%PDF-1.7 test", "x.pdf", &o).unwrap();
    println!("{}", String::from_utf8(m).unwrap());
}
