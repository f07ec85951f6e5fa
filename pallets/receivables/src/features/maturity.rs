//! Timers: when a certificate's offer lapses and when it becomes overdue
//! (逾期), and the queue entries that make the sweep find them.
//!
//! Entries are scheduled whenever a certificate enters a standing a timer
//! applies to (pending: acceptance; active, reserved, financed or pledged:
//! maturity) and are validated when swept, so an entry that no longer
//! applies (the certificate was accepted, split, settled, frozen...) is
//! simply dropped. Unfreezing schedules again.

use crate::{pallet::*, types::*};
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// The moment (ms) a certificate due at `due` becomes overdue.
	pub fn overdue_at(due: Moment) -> Moment {
		due.saturating_add(T::OverdueGrace::get())
	}

	/// Puts `id` in the `timer` queue, in the bucket of moment `at` (or the
	/// queue's current bucket if that is already behind).
	pub(crate) fn schedule(timer: Timer, at: Moment, id: CertificateId) {
		let g = T::TimerGranularity::get().max(1);
		let cursor = TimerCursor::<T>::get(timer).unwrap_or_else(|| {
			let c = Self::now() / g;
			TimerCursor::<T>::insert(timer, c);
			c
		});
		let bucket = at.div_ceil(g).max(cursor);
		TimerQueue::<T>::insert((timer, bucket), id, ());
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
