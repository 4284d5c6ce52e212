//! Running the binary on a hostile case, measured: exit code, stderr, time and peak memory.

use super::*;

/// What a measured run did.
pub(super) struct Measured {
    pub(super) code: Option<i32>,
    pub(super) stderr: String,
    pub(super) elapsed: Duration,
    /// Peak resident memory seen (VmHWM). Unit: MiB.
    pub(super) peak_mib: u64,
}

pub(super) fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the binary with `args`, sampling its peak memory until it exits (killed after 60 s).
pub(super) fn measured(args: &[&str]) -> Measured {
    let dir = Scratch::new("measured-io");
    let err_path = dir.join("stderr");
    let t = Instant::now();
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(root())
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = vm_hwm_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if t.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Measured {
        code: status.code(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
        elapsed: t.elapsed(),
        peak_mib: peak / 1024,
    }
}

/// A scratch drop: the hand-made drop plus whatever `add` puts in it; and an output folder
/// holding one good earlier run.
pub(super) struct Night {
    pub(super) _dir: Scratch,
    pub(super) drop: PathBuf,
    pub(super) out: PathBuf,
    pub(super) earlier: std::collections::BTreeMap<String, Vec<u8>>,
}

impl Night {
    pub(super) fn new(name: &str) -> Night {
        let dir = Scratch::new(name);
        let drop = dir.join("drop");
        std::fs::create_dir_all(&drop).unwrap();
        for f in ["accounts.csv", "posts.csv"] {
            std::fs::copy(root().join(GOOD_DROP).join(f), drop.join(f)).unwrap();
        }
        let out = dir.join("out");
        run_ok(CAMPAIGN, GOOD_DROP, &out, "2026-11-24T00:00:00Z");
        let earlier = snapshot(&out);
        Night {
            _dir: dir,
            drop,
            out,
            earlier,
        }
    }

    pub(super) fn run(&self) -> Measured {
        measured(&[
            "run",
            "--campaign",
            CAMPAIGN,
            "--drop",
            self.drop.to_str().unwrap(),
            "--out",
            self.out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ])
    }

    /// Runs and checks the night's promises; returns the run for case-specific checks.
    pub(super) fn survive(&self, limit_ms: u128, limit_mib: u64) -> Measured {
        let m = self.run();
        eprintln!(
            "{}: exit {:?}, {} ms, peak {} MiB",
            self.drop
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            m.code,
            m.elapsed.as_millis(),
            m.peak_mib
        );
        assert!(
            matches!(m.code, Some(0) | Some(1)),
            "exit {:?}: {}",
            m.code,
            m.stderr
        );
        assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
        assert!(
            m.elapsed.as_millis() < limit_ms,
            "took {:?}: {}",
            m.elapsed,
            m.stderr
        );
        assert!(m.peak_mib < limit_mib, "peak {} MiB", m.peak_mib);
        let now = snapshot(&self.out);
        if m.code == Some(1) {
            assert_eq!(now, self.earlier, "a failed run changed the output folder");
        } else {
            // The earlier run is byte for byte as it was, and LATEST moved to the new run.
            for (name, bytes) in &self.earlier {
                if name != "LATEST" {
                    assert_eq!(now.get(name), Some(bytes), "{name} changed");
                }
            }
            let latest = std::fs::read_to_string(self.out.join("LATEST")).unwrap();
            assert_eq!(latest.trim(), "20261125T000000Z");
        }
        m
    }
}
