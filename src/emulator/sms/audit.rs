//! Reviews: an application (signature, template, qualification, letter of authorization) waits
//! in review until the test decides, through the Rust API here or the control routes.

use std::fmt;

use chrono::{DateTime, Utc};

use super::Sms;
use crate::emulator::{lock, Emulator, EmulatorBuilder};

/// Where an application stands in review.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditState {
    /// Waiting for a decision (`AUDIT_STATE_INIT`, status 0, `INT`, `INIT`).
    Pending,
    /// Approved (`AUDIT_STATE_PASS`, status 1, `PASSED`, `PASS`).
    Approved,
    /// Rejected, with the reviewer's reason (`AUDIT_STATE_NOT_PASS`, status 2, `FAILED`,
    /// `NOT_PASS`).
    Rejected {
        /// Why, as the answers give it (`RejectInfo`, `Reason`, `AuditRemark`).
        reason: String,
    },
    /// Withdrawn by the applicant (`AUDIT_STATE_CANCEL`, status 10, `CANCELED`, `CANCEL`).
    Withdrawn,
}

impl fmt::Display for AuditState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditState::Pending => f.write_str("pending"),
            AuditState::Approved => f.write_str("approved"),
            AuditState::Rejected { reason } => write!(f, "rejected ({reason})"),
            AuditState::Withdrawn => f.write_str("withdrawn"),
        }
    }
}

/// Why a review decision could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditError {
    /// No application has that name, code or id.
    NotFound,
    /// The application is not waiting for review; its state.
    NotPending(AuditState),
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::NotFound => f.write_str("no such application"),
            AuditError::NotPending(state) => write!(f, "the application is {state}, not pending"),
        }
    }
}

impl std::error::Error for AuditError {}

/// How many applications [`Emulator::approve_all`] approved, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditSummary {
    /// Signatures.
    pub signs: usize,
    /// Templates.
    pub templates: usize,
    /// Letters of authorization.
    pub letters: usize,
    /// Qualifications.
    pub qualifications: usize,
}

/// An application waiting for review, as [`Emulator::pending_audits`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PendingAudit {
    /// A signature, by name.
    Sign {
        /// The applicant's Aliyun ID.
        account: String,
        /// `SignName`.
        name: String,
    },
    /// A template, by code.
    Template {
        /// The applicant's Aliyun ID.
        account: String,
        /// `TemplateCode`.
        code: String,
        /// `TemplateName`.
        name: String,
    },
    /// A letter of authorization (`INT`), by id.
    Letter {
        /// The applicant's Aliyun ID.
        account: String,
        /// `AuthorizationLetterId`.
        id: u64,
        /// `AuthorizationLetterName`.
        name: String,
    },
    /// A qualification, by id.
    Qualification {
        /// The applicant's Aliyun ID.
        account: String,
        /// `QualificationGroupId`.
        id: u64,
        /// `QualificationName`.
        name: String,
    },
}

/// An application's review: its state and when it was decided.
#[derive(Debug, Clone)]
pub(super) struct Review {
    pub state: AuditState,
    pub decided_at: Option<DateTime<Utc>>,
}

impl Review {
    pub fn pending() -> Review {
        Review {
            state: AuditState::Pending,
            decided_at: None,
        }
    }

    pub fn approved(at: DateTime<Utc>) -> Review {
        Review {
            state: AuditState::Approved,
            decided_at: Some(at),
        }
    }

    pub fn is_pending(&self) -> bool {
        self.state == AuditState::Pending
    }

    pub fn is_approved(&self) -> bool {
        self.state == AuditState::Approved
    }

    pub fn is_rejected(&self) -> bool {
        matches!(self.state, AuditState::Rejected { .. })
    }

    /// Decides a pending review.
    pub fn decide(&mut self, to: AuditState, at: DateTime<Utc>) -> Result<(), AuditError> {
        if !self.is_pending() {
            return Err(AuditError::NotPending(self.state.clone()));
        }
        self.state = to;
        self.decided_at = Some(at);
        Ok(())
    }

    /// `AuditStatus` of the listings.
    pub fn audit_status(&self) -> &'static str {
        match self.state {
            AuditState::Pending => "AUDIT_STATE_INIT",
            AuditState::Approved => "AUDIT_STATE_PASS",
            AuditState::Rejected { .. } => "AUDIT_STATE_NOT_PASS",
            AuditState::Withdrawn => "AUDIT_STATE_CANCEL",
        }
    }

    /// `SignStatus` / `TemplateStatus`: 0, 1, 2, 10.
    pub fn status_code(&self) -> u8 {
        match self.state {
            AuditState::Pending => 0,
            AuditState::Approved => 1,
            AuditState::Rejected { .. } => 2,
            AuditState::Withdrawn => 10,
        }
    }

    /// The rejection's reason, if rejected.
    pub fn reason(&self) -> Option<&str> {
        match &self.state {
            AuditState::Rejected { reason } => Some(reason),
            _ => None,
        }
    }

    /// `Reason` of the legacy queries: the rejection's reason, else `无审核备注`.
    pub fn remark(&self) -> &str {
        self.reason().unwrap_or("无审核备注")
    }
}

/// What a decision does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Decision {
    Approve,
    Reject(String),
    Withdraw,
}

impl Decision {
    fn state(&self) -> AuditState {
        match self {
            Decision::Approve => AuditState::Approved,
            Decision::Reject(reason) => AuditState::Rejected {
                reason: reason.clone(),
            },
            Decision::Withdraw => AuditState::Withdrawn,
        }
    }
}

/// Decides every matching application that is pending; `NotFound` when none matches,
/// `NotPending` (the first one's state) when none of them is pending.
fn decide_all<'a, T: 'a>(
    items: impl Iterator<Item = &'a mut T>,
    review: impl Fn(&mut T) -> &mut Review,
    decision: &Decision,
    at: DateTime<Utc>,
) -> Result<usize, AuditError> {
    let mut first_state = None;
    let mut decided = 0;
    for item in items {
        let review = review(item);
        match review.decide(decision.state(), at) {
            Ok(()) => decided += 1,
            Err(AuditError::NotPending(state)) => {
                first_state.get_or_insert(state);
            }
            Err(e) => return Err(e),
        }
    }
    match (decided, first_state) {
        (0, Some(state)) => Err(AuditError::NotPending(state)),
        (0, None) => Err(AuditError::NotFound),
        (n, _) => Ok(n),
    }
}

impl Sms {
    /// Decides the signatures named `name`, in every account.
    pub(super) fn decide_sign(
        &mut self,
        name: &str,
        decision: &Decision,
        at: DateTime<Utc>,
    ) -> Result<(), AuditError> {
        let ignore_case = self.options.sign_names_ignore_case;
        let matching = self
            .signs
            .iter_mut()
            .filter(|s| super::signs::same_name(&s.name, name, ignore_case));
        decide_all(matching, |s| &mut s.review, decision, at)?;
        if *decision == Decision::Approve {
            self.pass_letters_of(name);
        }
        Ok(())
    }

    /// Decides the template of that code.
    pub(super) fn decide_template(
        &mut self,
        code: &str,
        decision: &Decision,
        at: DateTime<Utc>,
    ) -> Result<(), AuditError> {
        let matching = self.templates.iter_mut().filter(|t| t.code == code);
        decide_all(matching, |t| &mut t.review, decision, at).map(drop)
    }

    /// Decides the qualification of that id.
    pub(super) fn decide_qualification(
        &mut self,
        id: u64,
        decision: &Decision,
        at: DateTime<Utc>,
    ) -> Result<(), AuditError> {
        let matching = self.quals.iter_mut().filter(|q| q.id == id);
        decide_all(matching, |q| &mut q.review, decision, at).map(drop)
    }

    /// Decides the letter of that id (letters are only approved: `INT` → `PASSED`).
    pub(super) fn approve_letter(&mut self, id: u64, at: DateTime<Utc>) -> Result<(), AuditError> {
        let matching = self.letters.iter_mut().filter(|l| l.id == id);
        decide_all(matching, |l| &mut l.review, &Decision::Approve, at).map(drop)
    }

    /// Approves everything pending.
    pub(super) fn approve_all(&mut self, at: DateTime<Utc>) -> AuditSummary {
        let approve = |review: &mut Review| review.decide(AuditState::Approved, at).is_ok();
        let mut summary = AuditSummary::default();
        let mut approved_signs = Vec::new();
        for sign in self.signs.iter_mut() {
            if approve(&mut sign.review) {
                summary.signs += 1;
                approved_signs.push(sign.name.clone());
            }
        }
        for name in approved_signs {
            self.pass_letters_of(&name);
        }
        summary.templates = self
            .templates
            .iter_mut()
            .map(|t| approve(&mut t.review))
            .filter(|approved| *approved)
            .count();
        summary.qualifications = self
            .quals
            .iter_mut()
            .map(|q| approve(&mut q.review))
            .filter(|approved| *approved)
            .count();
        summary.letters = self
            .letters
            .iter_mut()
            .map(|l| approve(&mut l.review))
            .filter(|approved| *approved)
            .count();
        summary
    }

    /// Everything pending, oldest first by kind.
    pub(super) fn pending(&self) -> Vec<PendingAudit> {
        let signs = self.signs.iter().filter(|s| s.review.is_pending());
        let templates = self.templates.iter().filter(|t| t.review.is_pending());
        let letters = self.letters.iter().filter(|l| l.review.is_pending());
        let quals = self.quals.iter().filter(|q| q.review.is_pending());
        signs
            .map(|s| PendingAudit::Sign {
                account: s.owner.clone(),
                name: s.name.clone(),
            })
            .chain(templates.map(|t| PendingAudit::Template {
                account: t.owner.clone(),
                code: t.code.clone(),
                name: t.name.clone(),
            }))
            .chain(letters.map(|l| PendingAudit::Letter {
                account: l.owner.clone(),
                id: l.id,
                name: l.name.clone(),
            }))
            .chain(quals.map(|q| PendingAudit::Qualification {
                account: q.owner.clone(),
                id: q.id,
                name: q.name.clone(),
            }))
            .collect()
    }
}

/// Review decisions, as the reviewers in the console would make them. Applications wait in
/// review until one of these (or [`EmulatorBuilder::sms_auto_approve`]) decides them; each
/// decision is dated by the services' clock.
impl Emulator {
    /// Approves the pending signature named `name` (in every account that applied for that
    /// name). Approving a signature that cites a letter of authorization also makes the letter
    /// `PASSED`.
    pub fn approve_sign(&self, name: &str) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.decide_sign(name, &Decision::Approve, at))
    }

    /// Rejects the pending signature named `name`, with the reviewer's `reason`.
    pub fn reject_sign(&self, name: &str, reason: &str) -> Result<(), AuditError> {
        let decision = Decision::Reject(reason.to_owned());
        self.decide(|sms, at| sms.decide_sign(name, &decision, at))
    }

    /// The applicant withdraws the pending signature named `name` (as in the console).
    pub fn withdraw_sign(&self, name: &str) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.decide_sign(name, &Decision::Withdraw, at))
    }

    /// Approves the pending template `code`.
    pub fn approve_template(&self, code: &str) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.decide_template(code, &Decision::Approve, at))
    }

    /// Rejects the pending template `code`, with the reviewer's `reason`.
    pub fn reject_template(&self, code: &str, reason: &str) -> Result<(), AuditError> {
        let decision = Decision::Reject(reason.to_owned());
        self.decide(|sms, at| sms.decide_template(code, &decision, at))
    }

    /// The applicant withdraws the pending template `code`.
    pub fn withdraw_template(&self, code: &str) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.decide_template(code, &Decision::Withdraw, at))
    }

    /// Approves the letter of authorization `id` (`INT` → `PASSED`), as approving a signature
    /// that cites it does.
    pub fn approve_letter(&self, id: u64) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.approve_letter(id, at))
    }

    /// Approves the pending qualification `id`.
    pub fn approve_qualification(&self, id: u64) -> Result<(), AuditError> {
        self.decide(|sms, at| sms.decide_qualification(id, &Decision::Approve, at))
    }

    /// Rejects the pending qualification `id`, with the reviewer's `reason`.
    pub fn reject_qualification(&self, id: u64, reason: &str) -> Result<(), AuditError> {
        let decision = Decision::Reject(reason.to_owned());
        self.decide(|sms, at| sms.decide_qualification(id, &decision, at))
    }

    /// Approves every pending application at once.
    pub fn approve_all(&self) -> AuditSummary {
        let mut state = lock(&self.state);
        let at = state.business_now();
        state.sms.approve_all(at)
    }

    /// The applications waiting for review: signatures, templates, letters, qualifications.
    pub fn pending_audits(&self) -> Vec<PendingAudit> {
        lock(&self.state).sms.pending()
    }

    /// Approves every application the moment it is submitted from now on (`true`), or leaves
    /// them pending again (`false`); see [`EmulatorBuilder::sms_auto_approve`].
    pub fn set_sms_auto_approve(&self, on: bool) {
        lock(&self.state).sms.options.auto_approve = on;
    }

    fn decide(
        &self,
        decide: impl FnOnce(&mut Sms, DateTime<Utc>) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        let mut state = lock(&self.state);
        let at = state.business_now();
        decide(&mut state.sms, at)
    }
}

/// SMS settings.
impl EmulatorBuilder {
    /// Approves every SMS application (signature, template, qualification, letter of
    /// authorization) the moment it is submitted, for demos that should send at once (default
    /// `false`: applications wait for [`Emulator::approve_sign`] and the like).
    pub fn sms_auto_approve(mut self, on: bool) -> Self {
        self.sms.auto_approve = on;
        self
    }

    /// Tells SMS signature names apart without regard to letter case (`Aliyun通信` and
    /// `aliyun通信` are then one name), as the 2024 API metadata says; by default case matters,
    /// as the current CreateSmsSign page says.
    pub fn sms_sign_names_ignore_case(mut self, on: bool) -> Self {
        self.sms.sign_names_ignore_case = on;
        self
    }
}
