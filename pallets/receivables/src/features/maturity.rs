//! Timers: when a certificate's offer lapses and when it becomes overdue
//! (逾期), and the queue entries that make the sweep find them.
//!
//! Each certificate in a timed standing has exactly one entry: scheduled
//! when it enters the standing (pending: acceptance; active, reserved,
//! financed or pledged: maturity) and deleted when it leaves it (accepted,
//! rejected, returned, split, settled, revoked, frozen) or when the sweep
//! handles it. One case leaves entries behind: freezing a whole root does
//! not touch its certificates, so their entries stay until swept (then
//! dropped as stale) and unfreezing the root schedules them again. Every
//! entry is still checked against its certificate when swept.
//!
//! [`TimerPages`] counts the entries per page of [`crate::TIMER_PAGE`]
//! buckets, kept exact here and in the sweep, so the sweep can pass an
//! empty page in one step.

use crate::{pallet::*, types::*, TIMER_PAGE};
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// The moment (ms) a certificate due at `due` becomes overdue.
	pub fn overdue_at(due: Moment) -> Moment {
		due.saturating_add(T::OverdueGrace::get())
	}

	/// The bucket of moment `at` in a queue whose cursor is `cursor`: the
	/// first bucket ending at or after `at`, or the cursor if that is
	/// already behind. An entry of `at` that has not been swept is in this
	/// bucket: every bucket before the cursor has been swept, and the
	/// cursor only moves forward.
	fn bucket_of(at: Moment, cursor: u64) -> u64 {
		at.div_ceil(T::TimerGranularity::get().max(1)).max(cursor)
	}

	/// Counts one entry more (`added`) or one less in `bucket`'s page.
	pub(crate) fn count_in_page(timer: Timer, bucket: u64, added: bool) {
		TimerPages::<T>::mutate_exists((timer, bucket / TIMER_PAGE), |n| {
			let count = n.unwrap_or(0);
			let count = if added { count.saturating_add(1) } else { count.saturating_sub(1) };
			*n = Some(count).filter(|c| *c > 0);
		});
	}

	/// Puts `id` in the `timer` queue, in the bucket of moment `at` (or the
	/// queue's current bucket if that is already behind). Scheduling an
	/// entry that is already there changes nothing.
	pub(crate) fn schedule(timer: Timer, at: Moment, id: CertificateId) {
		let cursor = TimerCursor::<T>::get(timer).unwrap_or_else(|| {
			let c = Self::now() / T::TimerGranularity::get().max(1);
			TimerCursor::<T>::insert(timer, c);
			c
		});
		let key = (timer, Self::bucket_of(at, cursor));
		if !TimerQueue::<T>::contains_key(key, id) {
			TimerQueue::<T>::insert(key, id, ());
			Self::count_in_page(timer, key.1, true);
		}
	}

	/// Deletes the entry of `id` for moment `at` from the `timer` queue, if
	/// it is still there.
	pub(crate) fn unschedule(timer: Timer, at: Moment, id: CertificateId) {
		let Some(cursor) = TimerCursor::<T>::get(timer) else { return };
		let key = (timer, Self::bucket_of(at, cursor));
		if TimerQueue::<T>::take(key, id).is_some() {
			Self::count_in_page(timer, key.1, false);
		}
	}

	/// Deletes the entry a certificate in `standing` has (its acceptance
	/// deadline or its maturity), if any.
	pub(crate) fn unschedule_for(cert: &CertificateOf<T>, standing: &StandingOf<T>) {
		match (standing.timer(), standing) {
			(Some(Timer::Acceptance), Standing::PendingAcceptance { deadline, .. }) => {
				Self::unschedule(Timer::Acceptance, *deadline, cert.id)
			},
			(Some(Timer::Maturity), _) => {
				Self::unschedule(Timer::Maturity, Self::overdue_at(cert.due), cert.id)
			},
			_ => {},
		}
	}

	/// Schedules the maturity timer of a certificate.
	pub(crate) fn schedule_maturity(cert: &CertificateOf<T>) {
		Self::schedule(Timer::Maturity, Self::overdue_at(cert.due), cert.id);
	}

	/// Schedules whichever timer applies to a live certificate's standing
	/// ([`Standing::timer`]).
	pub(crate) fn schedule_for(cert: &CertificateOf<T>, standing: &StandingOf<T>) {
		match (standing.timer(), standing) {
			(Some(Timer::Acceptance), Standing::PendingAcceptance { deadline, .. }) => {
				Self::schedule(Timer::Acceptance, *deadline, cert.id)
			},
			(Some(Timer::Maturity), _) => Self::schedule_maturity(cert),
			_ => {},
		}
	}

	/// Handles a swept acceptance entry. Returns whether the offer lapsed
	/// (`false`: the entry was stale).
	pub(crate) fn expire_offer(id: CertificateId, now: Moment) -> bool {
		let Ok((cert, root, standing)) = Self::load_unfrozen(id) else { return false };
		match standing {
			Standing::PendingAcceptance { sender, deadline } if deadline <= now => {
				Self::return_to_sender(cert, root, sender, ReturnReason::Expired);
				true
			},
			_ => false,
		}
	}

	/// Handles a swept maturity entry. Returns whether the certificate became
	/// overdue (`false`: the entry was stale).
	pub(crate) fn mark_overdue(id: CertificateId, now: Moment) -> bool {
		let Ok((mut cert, root, standing)) = Self::load_unfrozen(id) else { return false };
		if !matches!(root.state, RootState::Outstanding) || now < Self::overdue_at(cert.due) {
			return false;
		}
		let Some(overdue) = standing.when_overdue() else { return false };
		let encumbrance = overdue.encumbrance();
		cert.status = Status::Live(overdue);
		Self::deposit_event(Event::<T>::BecameOverdue {
			id,
			root: cert.root,
			holder: cert.holder.clone(),
			amount: cert.amount,
			encumbrance,
		});
		Certificates::<T>::insert(id, cert);
		true
	}
}
