//! Links the `brief` binary as a fixed-address executable on Linux (issue 23,
//! start-up). As a position-independent executable the loader first applied
//! 35,439 relative relocations (850 KB of `.rela.dyn` read, 650 KB of
//! `.data.rel.ro` written), some 175 page faults before `main`: `brief
//! --version` took 2.8 ms of task-clock and 436 page faults, 1.2 to 1.8 ms and
//! 261 without (`perf stat -r 50`, 2 shared cores). The code is the same (the
//! dependencies stay compiled position-independent, which a fixed-address link
//! accepts), and so is every byte a run writes; what is given up is address
//! randomisation of the executable's own image (its libraries and heap keep
//! theirs), for a memory-safe program that runs no code from its inputs.
//! Only the link of the binaries changes, so nothing else is rebuilt.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
