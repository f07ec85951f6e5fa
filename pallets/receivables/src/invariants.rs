//! The ledger invariants, checked by `try_state` and after every test.

use crate::{pallet::*, types::*};
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::traits::Get;
use scf_primitives::traits::ParticipantRegistry;
use sp_runtime::TryRuntimeError;

macro_rules! check {
	($cond:expr, $msg:expr) => {
		if !$cond {
			log::error!(target: crate::LOG_TARGET, "invariant broken: {}", $msg);
			return Err(TryRuntimeError::Other($msg));
		}
	};
}

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the ledger. Walks all of storage: for
	/// `try_state` and tests only.
	///
	/// - for every root: Σ live + Σ settled + (face if cancelled) == face,
	///   the root's live count and live index match its live certificates,
	///   and a settled or cancelled root has nothing live;
	/// - a certificate closed by a split has children whose amounts sum to
	///   its own; every child's parent is closed by a split, and children
	///   carry the parent's root, issuer and due date;
	/// - every live certificate is held by an admitted participant (perhaps
	///   suspended since), is in its holder's holdings (and nothing else
	///   is), has `1 <= tier <= MaxTier`
	///   and an amount of at least `MinAmount`;
	/// - the financier a certificate is reserved for, pledged to or sold by
	///   is never its holder (frozen ones included);
	/// - pending certificates have an acceptance timer, and active, reserved,
	///   financed and pledged ones a maturity timer (unless they or their
	///   root are frozen: those are scheduled again when unfrozen);
	/// - every timer entry is the one entry of a live certificate in that
	///   timer's standing, at or after the queue's cursor, and
	///   `TimerPages` counts exactly the entries of each page;
	/// - ids are below `NextCertificateId`;
	/// - `LivePerHolder` counts exactly each account's slots of each root
	///   (its live certificates not offered to it, and its pending offers);
	/// - `OutgoingOffers` counts exactly each sender's pending certificates
	///   (frozen ones included);
	/// - every settled or cancelled root is in the prune queue once, and
	///   the queue holds nothing else; the tree at its head, once due, may
	///   be partly pruned, so its lineage and sums are not checked.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_id = NextCertificateId::<T>::get();
		let mut live_sum: BTreeMap<CertificateId, Amount> = BTreeMap::new();
		let mut live_count: BTreeMap<CertificateId, u32> = BTreeMap::new();
		let mut settled_sum: BTreeMap<CertificateId, Amount> = BTreeMap::new();
		let mut children_sum: BTreeMap<CertificateId, Amount> = BTreeMap::new();
		let mut closed: BTreeMap<CertificateId, (Amount, CertificateId)> = BTreeMap::new();
		// The tree whose pruning may have begun: its lineage is incomplete.
		let pruning = Pallet::<T>::tree_being_pruned(Pallet::<T>::now());
		let whole = |root: CertificateId| pruning != Some(root);

		// Read each map once, in order; check in memory.
		let entries: Vec<((Timer, u64), CertificateId)> = TimerQueue::<T>::iter_keys().collect();
		let timers: BTreeSet<(Timer, CertificateId)> =
			entries.iter().map(|((timer, _), id)| (*timer, *id)).collect();
		let certs: BTreeMap<CertificateId, CertificateOf<T>> = Certificates::<T>::iter().collect();
		let roots: BTreeMap<CertificateId, RootInfoOf<T>> = Roots::<T>::iter().collect();
		let members: BTreeSet<(CertificateId, CertificateId)> =
			RootMembers::<T>::iter_keys().collect();
		let live_index: BTreeSet<(CertificateId, CertificateId)> =
			LiveByRoot::<T>::iter_keys().collect();
		let holdings: BTreeSet<(T::AccountId, CertificateId)> =
			Holdings::<T>::iter_keys().collect();
		check!(
			members.iter().all(|(root, id)| certs.get(id).is_some_and(|c| c.root == *root)),
			"tree member that is not a certificate of that tree"
		);

		for (&id, cert) in certs.iter() {
			check!(cert.id == id, "certificate stored under another id");
			check!(id < next_id, "certificate id not below NextCertificateId");
			let root = roots.get(&cert.root);
			check!(root.is_some(), "certificate of an unknown root");
			let root = root.expect("checked");
			check!(cert.issuer == root.issuer, "certificate issuer differs from root's");
			check!(cert.due == root.due, "certificate due date differs from root's");
			check!(members.contains(&(cert.root, id)), "certificate not in its tree");
			check!(cert.amount >= T::MinAmount::get(), "certificate below MinAmount");
			check!(cert.tier >= 1 && cert.tier <= T::MaxTier::get(), "tier out of range");
			match cert.parent {
				None => check!(cert.root == id, "parentless certificate is not a root"),
				Some(p) => {
					check!(cert.root != id, "root certificate has a parent");
					let parent = certs.get(&p);
					check!(parent.is_some() || !whole(cert.root), "parent missing");
					let Some(parent) = parent else { continue };
					check!(parent.status == Status::ClosedBySplit, "parent not closed by split");
					check!(parent.root == cert.root, "child in another tree than its parent");
					let s = children_sum.entry(p).or_default();
					*s = s.saturating_add(cert.amount);
				},
			}
			let is_live = cert.status.is_live();
			check!(
				live_index.contains(&(cert.root, id)) == is_live,
				"live index disagrees with status"
			);
			if is_live {
				check!(
					matches!(root.state, RootState::Outstanding),
					"live certificate of a settled or cancelled root"
				);
				let s = live_sum.entry(cert.root).or_default();
				*s = s.saturating_add(cert.amount);
				*live_count.entry(cert.root).or_default() += 1;
				check!(
					holdings.contains(&(cert.holder.clone(), id)),
					"live certificate not in holdings"
				);
				check!(
					T::Participants::is_admitted(&cert.holder),
					"live certificate held by a non-participant"
				);
				let standing = match &cert.status {
					Status::Live(s) | Status::Frozen { previous: s, .. } => Some(s),
					_ => None,
				};
				let counterparty = match standing {
					Some(Standing::Reserved { financier: who })
					| Some(Standing::Factored { seller: who })
					| Some(Standing::Pledged { pledgee: who })
					| Some(Standing::Overdue {
						encumbrance:
							Some(
								Encumbrance::Factored { seller: who }
								| Encumbrance::Pledged { pledgee: who },
							),
					}) => Some(who),
					_ => None,
				};
				check!(
					counterparty != Some(&cert.holder),
					"certificate's financier or seller is its own holder"
				);
				if let Status::Live(standing) = &cert.status {
					if root.frozen.is_none() {
						match standing.timer() {
							Some(Timer::Acceptance) => check!(
								timers.contains(&(Timer::Acceptance, id)),
								"pending certificate without acceptance timer"
							),
							Some(Timer::Maturity) => check!(
								timers.contains(&(Timer::Maturity, id)),
								"certificate without maturity timer"
							),
							None => {},
						}
					}
				}
			}
			match &cert.status {
				Status::Settled => {
					let s = settled_sum.entry(cert.root).or_default();
					*s = s.saturating_add(cert.amount);
				},
				Status::ClosedBySplit => {
					closed.insert(id, (cert.amount, cert.root));
				},
				Status::Revoked | Status::Returned => {
					check!(cert.parent.is_none(), "non-root certificate revoked or returned");
					check!(
						matches!(root.state, RootState::Cancelled),
						"revoked or returned root not cancelled"
					);
				},
				_ => {},
			}
		}

		for (parent, (amount, root)) in &closed {
			check!(
				!whole(*root) || children_sum.get(parent).copied().unwrap_or(0) == *amount,
				"children of a split do not sum to the parent's amount"
			);
		}

		for (&root_id, root) in roots.iter() {
			let live = live_sum.get(&root_id).copied().unwrap_or(0);
			let settled = settled_sum.get(&root_id).copied().unwrap_or(0);
			let count = live_count.get(&root_id).copied().unwrap_or(0);
			check!(root.live == count, "root live count disagrees");
			check!(count <= T::MaxLivePerRoot::get(), "more live certificates than MaxLivePerRoot");
			if !whole(root_id) {
				check!(count == 0, "live certificates in a tree being pruned");
				continue;
			}
			let root_cert = certs.get(&root_id);
			check!(root_cert.is_some(), "root without its certificate");
			let root_cert = root_cert.expect("checked");
			check!(root_cert.amount == root.face, "root face differs from root certificate");
			match &root.state {
				RootState::Outstanding => {
					check!(settled == 0, "settled certificates in an outstanding root");
					check!(live == root.face, "live + settled != face");
				},
				RootState::Settled { .. } => {
					check!(live == 0, "live certificates in a settled root");
					check!(settled == root.face, "live + settled != face");
				},
				RootState::Cancelled => {
					check!(live == 0 && settled == 0, "value in a cancelled root");
					check!(
						matches!(root_cert.status, Status::Revoked | Status::Returned),
						"cancelled root's certificate not revoked or returned"
					);
				},
			}
		}

		check!(
			live_index.len() as u32 == live_count.values().sum::<u32>(),
			"live index has extra entries"
		);
		for (holder, id) in holdings.iter() {
			check!(
				certs.get(id).is_some_and(|c| &c.holder == holder && c.status.is_live()),
				"holdings entry for a certificate not live with that holder"
			);
		}

		// Each sender's count of pending offers (frozen ones included).
		let mut offers: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for cert in certs.values() {
			let standing = match &cert.status {
				Status::Live(standing) | Status::Frozen { previous: standing, .. } => standing,
				_ => continue,
			};
			if let Standing::PendingAcceptance { sender, .. } = standing {
				*offers.entry(sender.clone()).or_default() += 1;
			}
		}
		let counted: BTreeMap<T::AccountId, u32> = OutgoingOffers::<T>::iter().collect();
		// (A count may exceed the quota if an upgrade lowered it.)
		check!(counted == offers, "OutgoingOffers disagrees with the pending certificates");
		// Each account's share of each root's live slots.
		let mut slots: BTreeMap<(CertificateId, T::AccountId), u32> = BTreeMap::new();
		for cert in certs.values().filter(|c| c.status.is_live()) {
			*slots.entry((cert.root, Pallet::<T>::slot_owner(cert).clone())).or_default() += 1;
		}
		check!(
			LivePerHolder::<T>::iter().map(|(r, a, n)| ((r, a), n)).collect::<BTreeMap<_, _>>()
				== slots,
			"LivePerHolder differs from the live certificates' slot owners"
		);
		// The prune queue: every closed root once, nothing else.
		let (head, tail) = PruneQueueRange::<T>::get();
		check!(head <= tail, "prune queue head past its tail");
		let queue: BTreeMap<u64, (CertificateId, Moment)> = PruneQueue::<T>::iter().collect();
		check!(
			queue.keys().all(|at| (head..tail).contains(at)) && queue.len() as u64 == tail - head,
			"prune queue entries outside its range, or holes in it"
		);
		let queued: BTreeSet<CertificateId> = queue.values().map(|(root, _)| *root).collect();
		check!(queued.len() == queue.len(), "a root queued twice for pruning");
		let closed_roots: BTreeSet<CertificateId> = roots
			.iter()
			.filter(|(_, r)| !matches!(r.state, RootState::Outstanding))
			.map(|(id, _)| *id)
			.collect();
		check!(queued == closed_roots, "prune queue differs from the closed roots");
		// The timer queues and their page index.
		check!(timers.len() == entries.len(), "certificate with two entries in one timer queue");
		let mut pages: BTreeMap<(Timer, u64), u32> = BTreeMap::new();
		for ((timer, bucket), id) in &entries {
			*pages.entry((*timer, bucket / crate::TIMER_PAGE)).or_default() += 1;
			check!(
				TimerCursor::<T>::get(timer).is_some_and(|c| *bucket >= c),
				"timer entry behind its queue's cursor"
			);
			check!(
				certs.get(id).is_some_and(|c| match &c.status {
					Status::Live(standing) => standing.timer() == Some(*timer),
					_ => false,
				}),
				"timer entry of a certificate no longer in that timer's standing"
			);
		}
		check!(
			TimerPages::<T>::iter().collect::<BTreeMap<_, _>>() == pages,
			"timer page counts differ from the queue entries"
		);
		Ok(())
	}
}
