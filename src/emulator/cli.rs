//! The command line of the standalone emulator (`examples/emulator.rs`): the same settings as
//! [`EmulatorBuilder`], from flags.
//!
//! ```
//! use alibaba_openapi::emulator::cli;
//! use alibaba_openapi::emulator::{Emulator, Fault};
//!
//! let settings = cli::parse_args([
//!     "--listen", "127.0.0.1:8080",
//!     "--clock-skew", "-120",
//!     "--time-offset", "86400",
//!     "--fault", "throttling=500:2:GetJoinPermissionAuthOrder",
//!     "--fault", "unavailable",
//! ])?;
//! assert_eq!(settings.listen.port(), 8080);
//! assert_eq!(settings.clock_skew, chrono::Duration::seconds(-120));
//! assert_eq!(settings.time_offset, chrono::Duration::days(1));
//! assert_eq!(settings.faults[0].times, 2);
//! assert_eq!(settings.faults[1].fault, Fault::ServiceUnavailable);
//! // Then: settings.apply(Emulator::builder()).start().await
//! # Ok::<(), String>(())
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::limits::Limits;
use super::{EmulatorBuilder, Fault, Injection};

/// The help text, listing every flag and fault kind.
pub const USAGE: &str = "\
usage: emulator [--listen ADDR] [--clock-skew SECONDS] [--time-offset SECONDS]
                [--fault KIND[:TIMES[:ACTION]]]...
                [--max-recorded-requests N] [--max-connections N]
                [--header-timeout SECONDS] [--body-timeout SECONDS] [--idle-timeout SECONDS]
                [--auto-approve]

Serves the alibaba-openapi emulator (the Alibaba Cloud RPC gateway with LinkWAN and Dysmsapi,
and the Taobao Open Platform gateway) until interrupted. The first line printed is
`alibaba-openapi emulator listening on ADDR`.

Options:
  --listen ADDR            address to listen on (default 127.0.0.1:0, a free port)
  --clock-skew SECONDS     run the emulator's clock ahead of (positive) or behind (negative)
                           the real one, e.g. -120 (default 0): what request timestamps are
                           checked against and the Date header
  --time-offset SECONDS    start the services' clock (LinkWAN order times, SMS windows and
                           receipts, validity periods) this far ahead of (positive) or behind
                           (negative) the emulator's, e.g. 86400; requests are still signed with
                           the real time. POST /_emulator/clock moves it later (default 0)
  --fault KIND[:TIMES[:ACTION]]
                           queue a fault; repeatable, tried in the order given. TIMES is how
                           many requests it affects (default 1; * for every request), ACTION
                           limits it to one Action or TOP method. KIND is one of:
      throttling           400 Throttling.User (TOP: code 7)
      throttling=MS        the same, with the header x-acs-retry-after: MS
      unavailable          503 ServiceUnavailable (TOP: code 10)
      malformed            200 with a truncated JSON body
      drop                 close the connection without an answer
      delay=MS             process the request, answer MS milliseconds later
      business=CODE        200 with a business failure, e.g. business=isv.BUSINESS_LIMIT_CONTROL
      top-limited          TOP only: code 7, App Call Limited
      top-isp=SUB_CODE     TOP only: code 15 with SUB_CODE, e.g. top-isp=isp.remote-service-timeout
  --max-recorded-requests N
                           requests recorded at most, oldest forgotten first (default 10000;
                           0 records nothing); the recording also stays within 64 MiB
  --max-connections N      connections served at once (default 512); a new one beyond it
                           closes the one waiting longest for a request, or is itself closed
                           when every connection is in the middle of a request
  --header-timeout SECONDS a request head must arrive within this, from its first byte
                           (default 10)
  --body-timeout SECONDS   a request body must arrive within this, else 408 (default 30)
  --idle-timeout SECONDS   a connection waiting this long for a request is closed (default 60)
  --auto-approve           approve every SMS signature, template, qualification and letter of
                           authorization the moment it is submitted (default: they wait for
                           POST /_emulator/sms/audits)
  -h, --help               print this help

Control endpoints (JSON; not recorded, no faults apply):
  GET    /_emulator/           the control routes
  GET    /_emulator/health     status, recorded requests and open connections, with their caps
  GET    /_emulator/requests   the recorded requests, oldest first: summaries with business
                               parameters (secrets redacted, no headers); filters
                               ?action=SendSms&protocol=rpc&status=200&code=...&rejected=false
                               &injected=false&limit=10
  DELETE /_emulator/requests   forget the recorded requests
  GET    /_emulator/clock      the gateway's and the services' times, and the offset
  POST   /_emulator/clock      move the services' clock: {\"advance_seconds\": 3600} and/or
                               {\"offset_seconds\": 0}
  GET    /_emulator/faults     the queued faults, in the order they are tried
  POST   /_emulator/faults     queue a fault (or an array): {\"kind\": \"throttling\",
                               \"retry_after_ms\": 500, \"times\": 2, \"action\": \"SendSms\"};
                               kinds as for --fault, fields retry_after_ms, delay_ms, code,
                               message, sub_code; times a number or \"*\"
  DELETE /_emulator/faults     drop every queued fault
  POST   /_emulator/reset      back to the seeded state (state, recording, faults, clock offset),
                               keeping the listener and these settings
  GET    /_emulator/sms/audits     SMS applications waiting for review
  POST   /_emulator/sms/audits     decide one: {\"kind\":\"sign\",\"name\":\"阿里云\",\"decision\":\"approve\"}
                                   (\"template\" + \"code\", \"letter\" / \"qualification\" + \"id\";
                                   \"reject\" with \"reason\"; \"withdraw\"; {\"kind\":\"all\"} approves all)
  POST   /_emulator/sms/receipts   the receipt of a number's next messages:
                                   {\"phone_number\":\"13800000000\",\"receipt\":\"failed\",\"err_code\":\"UNDELIV\"}
                                   (\"delivered\", the default; \"never\": they stay waiting)
  GET    /_emulator/sms/messages   the SMS outbox as JSON, oldest first (?phone_number= filters)
  DELETE /_emulator/sms/messages   empty the SMS outbox

Example:
  emulator --listen 127.0.0.1:8080 --fault throttling=500:2:GetJoinPermissionAuthOrder --fault unavailable";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// `--listen`: the address to listen on (default `127.0.0.1:0`, a free port).
    pub listen: SocketAddr,
    /// `--clock-skew`: the emulator's clock minus the real one (default zero).
    pub clock_skew: chrono::Duration,
    /// `--time-offset`: the services' clock minus the emulator's (default zero); see
    /// [`EmulatorBuilder::time_offset`].
    pub time_offset: chrono::Duration,
    /// `--fault`, in the order given.
    pub faults: Vec<Injection>,
    /// `--max-recorded-requests`: see [`EmulatorBuilder::max_recorded_requests`].
    pub max_recorded_requests: usize,
    /// `--max-connections`: see [`EmulatorBuilder::max_connections`].
    pub max_connections: usize,
    /// `--header-timeout`: see [`EmulatorBuilder::header_read_timeout`].
    pub header_read_timeout: Duration,
    /// `--body-timeout`: see [`EmulatorBuilder::body_read_timeout`].
    pub body_read_timeout: Duration,
    /// `--idle-timeout`: see [`EmulatorBuilder::idle_timeout`].
    pub idle_timeout: Duration,
    /// `--auto-approve`: see [`EmulatorBuilder::sms_auto_approve`].
    pub auto_approve: bool,
    /// `-h` / `--help`: print [`USAGE`] and exit instead of serving.
    pub help: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let limits = Limits::default();
        Settings {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            clock_skew: chrono::Duration::zero(),
            time_offset: chrono::Duration::zero(),
            faults: Vec::new(),
            max_recorded_requests: limits.max_recorded_requests,
            max_connections: limits.max_connections,
            header_read_timeout: limits.header_read_timeout,
            body_read_timeout: limits.body_read_timeout,
            idle_timeout: limits.idle_timeout,
            auto_approve: false,
            help: false,
        }
    }
}

impl Settings {
    /// Applies every setting (address, clock skew, time offset, faults, limits) to a builder.
    pub fn apply(&self, builder: EmulatorBuilder) -> EmulatorBuilder {
        let builder = builder
            .listen(self.listen)
            .clock_skew(self.clock_skew)
            .time_offset(self.time_offset)
            .max_recorded_requests(self.max_recorded_requests)
            .max_connections(self.max_connections)
            .header_read_timeout(self.header_read_timeout)
            .body_read_timeout(self.body_read_timeout)
            .idle_timeout(self.idle_timeout)
            .sms_auto_approve(self.auto_approve);
        self.faults
            .iter()
            .cloned()
            .fold(builder, |builder, injection| builder.inject(injection))
    }
}

/// Parses the arguments after the program name. Each flag takes its value as the next argument
/// or after `=` (`--listen=127.0.0.1:8080`). `Err` is a one-line message naming the argument.
pub fn parse_args<I, S>(args: I) -> Result<Settings, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut settings = Settings::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let arg = arg.as_ref();
        if arg == "-h" || arg == "--help" {
            settings.help = true;
            continue;
        }
        if arg == "--auto-approve" {
            settings.auto_approve = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg, None),
        };
        if !matches!(
            flag,
            "--listen"
                | "--clock-skew"
                | "--time-offset"
                | "--fault"
                | "--max-recorded-requests"
                | "--max-connections"
                | "--header-timeout"
                | "--body-timeout"
                | "--idle-timeout"
        ) {
            return Err(format!("unknown argument {arg:?} (try --help)"));
        }
        let value = match inline {
            Some(value) => value,
            None => match args.next() {
                Some(value) => value.as_ref().to_owned(),
                None => return Err(format!("{flag} needs a value (try --help)")),
            },
        };
        match flag {
            "--listen" => {
                settings.listen = value.parse().map_err(|e| {
                    format!("--listen {value:?}: {e} (expected e.g. 127.0.0.1:8080)")
                })?;
            }
            "--clock-skew" => settings.clock_skew = parse_whole_seconds(flag, &value)?,
            "--time-offset" => settings.time_offset = parse_whole_seconds(flag, &value)?,
            "--max-recorded-requests" => {
                settings.max_recorded_requests = parse_count(flag, &value, 0)?;
            }
            "--max-connections" => settings.max_connections = parse_count(flag, &value, 1)?,
            "--header-timeout" => settings.header_read_timeout = parse_seconds(flag, &value)?,
            "--body-timeout" => settings.body_read_timeout = parse_seconds(flag, &value)?,
            "--idle-timeout" => settings.idle_timeout = parse_seconds(flag, &value)?,
            _ => settings.faults.push(parse_fault(&value)?),
        }
    }
    Ok(settings)
}

/// A whole number of at least `min`.
fn parse_count(flag: &str, value: &str, min: usize) -> Result<usize, String> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= min)
        .ok_or_else(|| format!("{flag} {value:?}: expected a whole number of at least {min}"))
}

/// Positive seconds, fractions allowed (`0.5`).
fn parse_seconds(flag: &str, value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0)
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("{flag} {value:?}: expected positive seconds, e.g. 10 or 0.5"))
}

/// Whole seconds, either sign.
fn parse_whole_seconds(flag: &str, value: &str) -> Result<chrono::Duration, String> {
    value
        .parse::<i64>()
        .ok()
        .and_then(chrono::Duration::try_seconds)
        .ok_or_else(|| format!("{flag} {value:?}: expected whole seconds, e.g. 90 or -90"))
}

/// Parses one `--fault` value, `KIND[:TIMES[:ACTION]]` (see [`USAGE`]).
///
/// ```
/// use std::time::Duration;
/// use alibaba_openapi::emulator::{cli, Fault};
///
/// let injection = cli::parse_fault("delay=800:3")?;
/// assert_eq!(injection.fault, Fault::Delay(Duration::from_millis(800)));
/// assert_eq!((injection.times, injection.action), (3, None));
/// assert!(cli::parse_fault("teapot").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_fault(spec: &str) -> Result<Injection, String> {
    let bad = |why: &str| format!("--fault {spec:?}: {why} (try --help)");
    let mut parts = spec.splitn(3, ':');
    let kind = parts.next().unwrap_or_default();
    let times = parts.next().unwrap_or_default();
    let action = parts.next();

    let (name, arg) = match kind.split_once('=') {
        Some((name, arg)) => (name, Some(arg)),
        None => (kind, None),
    };
    let millis = |arg: &str| {
        arg.parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| bad("expected milliseconds, e.g. 500"))
    };
    let fault = match (name, arg) {
        ("throttling", None) => Fault::throttling(None),
        ("throttling", Some(ms)) => Fault::throttling(Some(millis(ms)?)),
        ("unavailable", None) => Fault::ServiceUnavailable,
        ("malformed", None) => Fault::MalformedBody,
        ("drop", None) => Fault::DropConnection,
        ("delay", Some(ms)) => Fault::Delay(millis(ms)?),
        ("business", Some(code)) if !code.is_empty() => {
            let documented = Fault::business_limit_control();
            match &documented {
                Fault::BusinessFailure { code: known, .. } if known == code => documented,
                _ => Fault::BusinessFailure {
                    code: code.to_owned(),
                    message: "Injected business failure.".to_owned(),
                },
            }
        }
        ("top-limited", None) => Fault::top_app_call_limited(),
        ("top-isp", Some(sub_code)) if !sub_code.is_empty() => Fault::top_isp(sub_code),
        ("unavailable" | "malformed" | "drop" | "top-limited", Some(_)) => {
            return Err(bad(&format!("{name} takes no value")))
        }
        ("delay" | "business" | "top-isp", _) => {
            return Err(bad(&format!("{name} needs a value: {name}=...")))
        }
        _ => return Err(bad(&format!("unknown fault kind {name:?}"))),
    };
    let times = match times {
        "" => 1,
        "*" => u32::MAX,
        n => match n.parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => return Err(bad("TIMES must be a positive number or *")),
        },
    };
    let mut injection = Injection::new(fault).times(times);
    match action {
        Some("") => return Err(bad("ACTION is empty")),
        Some(action) => injection = injection.for_action(action),
        None => {}
    }
    Ok(injection)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(spec: &str) -> Fault {
        parse_fault(spec).unwrap().fault
    }

    #[test]
    fn every_fault_kind_parses() {
        assert_eq!(fault("throttling"), Fault::throttling(None));
        assert_eq!(
            fault("throttling=1500"),
            Fault::throttling(Some(Duration::from_millis(1500)))
        );
        assert_eq!(fault("unavailable"), Fault::ServiceUnavailable);
        assert_eq!(fault("malformed"), Fault::MalformedBody);
        assert_eq!(fault("drop"), Fault::DropConnection);
        assert_eq!(fault("delay=250"), Fault::Delay(Duration::from_millis(250)));
        assert_eq!(
            fault("business=isv.BUSINESS_LIMIT_CONTROL"),
            Fault::business_limit_control()
        );
        assert!(matches!(
            fault("business=isv.MOBILE_NUMBER_ILLEGAL"),
            Fault::BusinessFailure { code, .. } if code == "isv.MOBILE_NUMBER_ILLEGAL"
        ));
        assert_eq!(fault("top-limited"), Fault::top_app_call_limited());
        assert_eq!(
            fault("top-isp=isp.remote-service-timeout"),
            Fault::top_isp("isp.remote-service-timeout")
        );
    }

    #[test]
    fn times_and_action_are_optional() {
        let plain = parse_fault("unavailable").unwrap();
        assert_eq!((plain.times, plain.action), (1, None));
        let counted = parse_fault("unavailable:3").unwrap();
        assert_eq!((counted.times, counted.action), (3, None));
        let forever = parse_fault("throttling=10:*:alibaba.databank.open.auth.apply").unwrap();
        assert_eq!(forever.times, u32::MAX);
        assert_eq!(
            forever.action.as_deref(),
            Some("alibaba.databank.open.auth.apply")
        );
        let default_times = parse_fault("drop::SubmitJoinPermissionAuthOrder").unwrap();
        assert_eq!(default_times.times, 1);
    }

    #[test]
    fn bad_faults_are_refused_with_a_reason() {
        for spec in [
            "",
            "teapot",
            "throttling=soon",
            "unavailable=1",
            "delay",
            "business=",
            "top-isp",
            "drop:0",
            "drop:-1",
            "drop:1:",
        ] {
            let error = parse_fault(spec).unwrap_err();
            assert!(error.starts_with("--fault "), "{spec:?}: {error}");
        }
    }

    #[test]
    fn flags_take_separate_or_inline_values() {
        let settings = parse_args([
            "--listen=127.0.0.1:9000",
            "--clock-skew",
            "-90",
            "--time-offset=-3600",
            "--fault",
            "unavailable:1",
            "--fault=top-limited",
        ])
        .unwrap();
        assert_eq!(settings.listen, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(settings.clock_skew, chrono::Duration::seconds(-90));
        assert_eq!(settings.time_offset, chrono::Duration::hours(-1));
        assert_eq!(settings.faults.len(), 2);
        assert!(!settings.help);
        assert_eq!(
            parse_args(Vec::<String>::new()).unwrap(),
            Settings::default()
        );
        assert!(parse_args(["--help"]).unwrap().help);
        let demo = parse_args(["--auto-approve", "--listen", "127.0.0.1:9000"]).unwrap();
        assert!(demo.auto_approve);
        assert!(
            parse_args(["--auto-approve=yes"]).is_err(),
            "a switch takes no value"
        );
    }

    #[test]
    fn limits_take_counts_and_seconds() {
        let settings = parse_args([
            "--max-recorded-requests",
            "0",
            "--max-connections=64",
            "--header-timeout",
            "2.5",
            "--body-timeout",
            "5",
            "--idle-timeout=30",
        ])
        .unwrap();
        assert_eq!(settings.max_recorded_requests, 0);
        assert_eq!(settings.max_connections, 64);
        assert_eq!(settings.header_read_timeout, Duration::from_millis(2500));
        assert_eq!(settings.body_read_timeout, Duration::from_secs(5));
        assert_eq!(settings.idle_timeout, Duration::from_secs(30));
        let defaults = Settings::default();
        assert_eq!(defaults.max_recorded_requests, 10_000);
        assert_eq!(defaults.max_connections, 512);
        assert_eq!(defaults.header_read_timeout, Duration::from_secs(10));
        assert_eq!(defaults.body_read_timeout, Duration::from_secs(30));
        assert_eq!(defaults.idle_timeout, Duration::from_secs(60));
        for bad in [
            ["--max-connections", "0"],
            ["--max-recorded-requests", "-1"],
            ["--header-timeout", "0"],
            ["--body-timeout", "soon"],
            ["--idle-timeout", "-3"],
        ] {
            let error = parse_args(bad).unwrap_err();
            assert!(error.starts_with(bad[0]), "{error}");
        }
    }

    #[test]
    fn bad_flags_are_refused() {
        assert!(parse_args(["--listen"]).is_err());
        assert!(parse_args(["--listen", "localhost"]).is_err());
        assert!(parse_args(["--clock-skew", "1.5"]).is_err());
        assert!(parse_args(["--time-offset", "soon"]).is_err());
        assert!(parse_args(["--time-offset"]).is_err());
        assert!(parse_args(["--verbose"]).is_err());
        assert!(parse_args(["serve"]).is_err());
    }

    #[test]
    fn usage_lists_every_flag_and_fault_kind() {
        for word in [
            "--listen",
            "--clock-skew",
            "--time-offset SECONDS",
            "--fault",
            "--help",
            "throttling=MS",
            "unavailable",
            "malformed",
            "drop",
            "delay=MS",
            "business=CODE",
            "top-limited",
            "top-isp=SUB_CODE",
            "--max-recorded-requests N",
            "--max-connections N",
            "--header-timeout SECONDS",
            "--body-timeout SECONDS",
            "--idle-timeout SECONDS",
            "--auto-approve",
        ] {
            assert!(USAGE.contains(word), "{word}");
        }
        for (method, path) in crate::emulator::control::routes() {
            assert!(
                USAGE
                    .lines()
                    .any(|l| l.contains(method) && l.contains(path)),
                "{method} {path}"
            );
        }
    }

    #[test]
    fn settings_reach_the_builder() {
        let settings = parse_args([
            "--clock-skew",
            "30",
            "--time-offset",
            "7200",
            "--fault",
            "drop:2",
            "--max-connections",
            "77",
        ])
        .unwrap();
        let builder = settings.apply(crate::emulator::Emulator::builder());
        let debug = format!("{builder:?}");
        assert!(debug.contains("DropConnection"), "{debug}");
        assert!(debug.contains("max_connections: 77"), "{debug}");
        assert!(
            debug.contains("time_offset: TimeDelta { secs: 7200"),
            "{debug}"
        );
        assert!(debug.contains("auto_approve: false"), "{debug}");
        let demo = parse_args(["--auto-approve"]).unwrap();
        let debug = format!("{:?}", demo.apply(crate::emulator::Emulator::builder()));
        assert!(debug.contains("auto_approve: true"), "{debug}");
    }
}
