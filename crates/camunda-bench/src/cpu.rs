//! CPU time from `/proc` (Linux), without `libc`: `utime + stime` of the process or a thread.

/// Clock ticks per second of `/proc/*/stat` times (`USER_HZ`, 100 on every Linux build we know).
const TICKS_PER_SECOND: f64 = 100.0;

/// `utime + stime` in seconds from the text of a `/proc/.../stat` file.
fn parse_stat(stat: &str) -> Option<f64> {
    // The command name (field 2) may hold spaces and parentheses: fields after it follow the
    // last ')'. There, index 0 is field 3 (state); utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_ascii_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / TICKS_PER_SECOND)
}

/// CPU seconds used by this process so far (all threads, exited ones included).
pub fn process_cpu_seconds() -> Option<f64> {
    parse_stat(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// CPU seconds used by thread `tid` of this process.
pub fn thread_cpu_seconds(tid: &str) -> Option<f64> {
    parse_stat(&std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?)
}

/// The calling thread's id (from the `/proc/thread-self` link, `<pid>/task/<tid>`).
pub fn current_thread_id() -> String {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utime_and_stime() {
        let stat = "42 (a (b) c) S 1 42 42 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 1 2 3";
        assert_eq!(parse_stat(stat), Some(3.0));
    }
}
