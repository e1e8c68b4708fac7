//! The default flow control per mainland phone number, in rolling windows on the services'
//! clock: verification codes 1 a minute, 5 an hour and 10 a day with one signature (and 40 a
//! day from every sender together); notifications and promotions 50 a day with one signature
//! and template. A send counts once it is accepted, whatever its receipt.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::emulator::limits::{BoundedMap, MAX_SMS_FLOW_KEYS};

/// What a send is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum FlowKey {
    /// Verification codes: one signature of one account, to one number.
    Verification {
        owner: String,
        sign: String,
        phone: String,
    },
    /// Verification codes from every sender, to one number.
    VerificationToNumber { phone: String },
    /// Notifications and promotions: one signature and template of one account, to one number.
    Message {
        owner: String,
        sign: String,
        template: String,
        phone: String,
    },
}

/// One window of a rule.
#[derive(Debug, Clone, Copy)]
struct Window {
    length: Duration,
    permits: usize,
    /// `分钟级`, `小时级`, `天级`.
    level: &'static str,
}

const MINUTE: Window = Window {
    length: Duration::minutes(1),
    permits: 1,
    level: "分钟级",
};
const HOUR: Window = Window {
    length: Duration::hours(1),
    permits: 5,
    level: "小时级",
};
const DAY: Window = Window {
    length: Duration::days(1),
    permits: 10,
    level: "天级",
};
const DAY_FROM_EVERY_SENDER: Window = Window {
    length: Duration::days(1),
    permits: 40,
    level: "天级",
};
const DAY_PER_TEMPLATE: Window = Window {
    length: Duration::days(1),
    permits: 50,
    level: "天级",
};

/// The most sends any window allows: the longest history a key needs.
const MOST_PERMITS: usize = 50;

impl FlowKey {
    /// The windows of the key's rule, shortest first.
    fn windows(&self) -> &'static [Window] {
        match self {
            FlowKey::Verification { .. } => &[MINUTE, HOUR, DAY],
            FlowKey::VerificationToNumber { .. } => &[DAY_FROM_EVERY_SENDER],
            FlowKey::Message { .. } => &[DAY_PER_TEMPLATE],
        }
    }
}

/// Recent sends per key: at most [`MAX_SMS_FLOW_KEYS`] keys (the oldest forgotten first), each
/// with the times of its last [`MOST_PERMITS`] sends within a day.
#[derive(Debug)]
pub(super) struct Flow {
    sends: BoundedMap<FlowKey, VecDeque<DateTime<Utc>>>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            sends: BoundedMap::new(MAX_SMS_FLOW_KEYS),
        }
    }
}

impl Flow {
    /// Whether every one of `sends` (keys, in the order sent) may go now, counting those before
    /// it in the same request; the refusal's message when not, e.g. `触发分钟级流控Permits:1`.
    pub fn check(&self, sends: &[FlowKey], now: DateTime<Utc>) -> Result<(), String> {
        let mut earlier: HashMap<&FlowKey, usize> = HashMap::new();
        for key in sends {
            let pending = earlier.entry(key).or_default();
            for window in key.windows() {
                let recent = self.sends.get(key).map_or(0, |times| {
                    times.iter().filter(|t| now - **t < window.length).count()
                });
                if recent + *pending >= window.permits {
                    return Err(format!(
                        "触发{}流控Permits:{}",
                        window.level, window.permits
                    ));
                }
            }
            *pending += 1;
        }
        Ok(())
    }

    /// Counts `sends` as sent now.
    pub fn record(&mut self, sends: Vec<FlowKey>, now: DateTime<Utc>) {
        for key in sends {
            if self.sends.get(&key).is_none() {
                self.sends.insert(key.clone(), VecDeque::new());
            }
            if let Some(times) = self.sends.get_mut(&key) {
                times.push_back(now);
                while times.len() > MOST_PERMITS
                    || times.front().is_some_and(|t| now - *t >= Duration::days(1))
                {
                    times.pop_front();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(phone: &str) -> Vec<FlowKey> {
        vec![
            FlowKey::Verification {
                owner: "o".into(),
                sign: "s".into(),
                phone: phone.into(),
            },
            FlowKey::VerificationToNumber {
                phone: phone.into(),
            },
        ]
    }

    #[test]
    fn verification_codes_are_one_a_minute_five_an_hour_ten_a_day() {
        let mut flow = Flow::default();
        let start = Utc::now();
        let mut at = start;
        for i in 0..5 {
            assert_eq!(flow.check(&verification("1"), at), Ok(()), "send {i}");
            flow.record(verification("1"), at);
            assert_eq!(
                flow.check(&verification("1"), at + Duration::seconds(59)),
                Err("触发分钟级流控Permits:1".into())
            );
            at += Duration::minutes(1);
        }
        assert_eq!(
            flow.check(&verification("1"), at),
            Err("触发小时级流控Permits:5".into())
        );
        assert_eq!(flow.check(&verification("2"), at), Ok(()), "per number");
        let mut at = start + Duration::hours(1);
        for _ in 0..5 {
            flow.record(verification("1"), at);
            at += Duration::hours(1);
        }
        assert_eq!(
            flow.check(&verification("1"), at),
            Err("触发天级流控Permits:10".into())
        );
        assert_eq!(
            flow.check(&verification("1"), start + Duration::days(1)),
            Ok(()),
            "the oldest send left the rolling day"
        );
    }

    #[test]
    fn sends_in_one_request_count_each_other() {
        let flow = Flow::default();
        let twice: Vec<FlowKey> = verification("1").into_iter().cycle().take(4).collect();
        assert!(flow.check(&twice, Utc::now()).is_err());
    }
}
