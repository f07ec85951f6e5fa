//! The financing invariants, checked by `try_state` and after every test.
//! They relate each request to its certificate in the ledger.

use crate::{pallet::*, types::*};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::traits::Get;
use pallet_receivables::{Encumbrance, ReceivableLedger, Standing, Status};
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
	/// Checks every invariant of the financing records against the ledger.
	/// Walks all of this pallet's storage: for `try_state` and tests only.
	///
	/// - request ids are below `NextRequestId`; holder and financier differ;
	///   asked and offered advances are more than zero and at most the
	///   certificate's amount, rates at most `MaxDiscountBps`, expiries at
	///   most the due date; the request's amount and due date are the
	///   certificate's;
	/// - `OpenRequest` lists exactly the requests with a claim on their
	///   certificate (requested, offered, accepted, funded, and pledges in
	///   recourse), by their certificate: at most one per certificate;
	/// - an unfunded open request's certificate is live (perhaps frozen),
	///   held by the request's holder, and reserved for its financier, or
	///   overdue without claim (the reservation lapsed at maturity);
	/// - a funded request's certificate is live: factored, held by the
	///   financier with the holder as seller, or pledged to the financier and
	///   held by the holder (overdue with that claim counts);
	/// - a request in recourse has a claim (and only those do), for its
	///   holder and its advance, and its offer was with recourse; a factored
	///   certificate no longer carries the financier's claim, a pledged one
	///   is still overdue and pledged to the financier;
	/// - `OpenDeals` counts, per financier, the requests not closed, and
	///   `UnfundedRequests`, per holder, those requested, offered or
	///   accepted;
	/// - a settled request's split adds up to the amount (all to the
	///   financier for factoring), and its certificate, like a lapsed
	///   request's, is settled (unless its tree has been pruned);
	/// - every closed request is in the prune queue once, and the queue
	///   holds nothing else.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextRequestId::<T>::get();
		let open: BTreeMap<CertificateId, RequestId> = OpenRequest::<T>::iter().collect();
		let claims: BTreeMap<RequestId, RecourseClaimOf<T>> = RecourseClaims::<T>::iter().collect();
		let mut open_count = 0usize;
		let mut deals: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut unfunded: BTreeMap<T::AccountId, u32> = BTreeMap::new();

		for (&cert, &id) in open.iter() {
			let req = Requests::<T>::get(id);
			check!(req.is_some(), "OpenRequest names a missing request");
			let req = req.expect("checked");
			check!(req.certificate == cert, "OpenRequest under another certificate");
			check!(req.holds_certificate(), "OpenRequest names a closed request");
		}

		for (id, req) in Requests::<T>::iter() {
			check!(id >= 1 && id < next, "request id not below NextRequestId");
			check!(req.holder != req.financier, "request to the holder itself");
			check!(
				req.wanted_advance > 0 && req.wanted_advance <= req.amount,
				"asked advance out of range"
			);
			if let Some(terms) = req.state.terms() {
				check!(terms.advance > 0 && terms.advance <= req.amount, "advance out of range");
				check!(
					terms.discount_bps <= T::MaxDiscountBps::get(),
					"discount above the maximum"
				);
				check!(terms.expires <= req.due, "offer expires after the due date");
				check!(
					terms.expires <= terms.payout_by && terms.payout_by <= req.due,
					"payout deadline outside expiry..=due"
				);
			}
			if req.state.stage() != Stage::Closed {
				*deals.entry(req.financier.clone()).or_default() += 1;
			}
			if req.state.is_unfunded() {
				*unfunded.entry(req.holder.clone()).or_default() += 1;
			}
			let listed = open.get(&req.certificate) == Some(&id);
			check!(
				listed == req.holds_certificate(),
				"OpenRequest disagrees with the request state"
			);
			if listed {
				open_count += 1;
			}
			let in_recourse = matches!(req.state, RequestState::InRecourse { .. });
			check!(
				claims.contains_key(&id) == in_recourse,
				"claim without recourse, or recourse without claim"
			);

			let view = T::Ledger::view(req.certificate);
			if view.is_none() && req.state.stage() == Stage::Closed {
				// Its certificate's tree has been pruned; the request will be.
				continue;
			}
			check!(view.is_some(), "request on a missing certificate");
			let view = view.expect("checked");
			check!(
				view.amount == req.amount && view.due == req.due,
				"request's amount or due date differs from the certificate's"
			);
			let standing = match &view.status {
				Status::Live(s) | Status::Frozen { previous: s, .. } => Some(s.clone()),
				_ => None,
			};
			let settled = view.status == Status::Settled;

			match &req.state {
				s if s.is_unfunded() => {
					check!(
						view.holder == req.holder,
						"unfunded request's certificate changed hands"
					);
					let reserved =
						standing == Some(Standing::Reserved { financier: req.financier.clone() });
					let lapsed = standing == Some(Standing::Overdue { encumbrance: None });
					check!(
						reserved || lapsed,
						"open request's certificate not reserved for its financier"
					);
				},
				RequestState::Funded { .. } => {
					let ok = match req.kind {
						FinancingKind::Factoring => {
							let seller = req.holder.clone();
							view.holder == req.financier
								&& (standing == Some(Standing::Factored { seller: seller.clone() })
									|| standing
										== Some(Standing::Overdue {
											encumbrance: Some(Encumbrance::Factored { seller }),
										}))
						},
						FinancingKind::Pledge => {
							let pledgee = req.financier.clone();
							view.holder == req.holder
								&& (standing
									== Some(Standing::Pledged { pledgee: pledgee.clone() })
									|| standing
										== Some(Standing::Overdue {
											encumbrance: Some(Encumbrance::Pledged { pledgee }),
										}))
						},
					};
					check!(ok, "funded request's certificate not financed or pledged as recorded");
				},
				RequestState::InRecourse { terms, .. } => {
					check!(terms.recourse, "recourse exercised on an offer without recourse");
					let claim = claims.get(&id).expect("checked above");
					check!(
						claim.debtor == req.holder && claim.amount == terms.advance,
						"claim is not the holder owing the advance"
					);
					match req.kind {
						FinancingKind::Factoring => check!(
							settled || standing == Some(Standing::Overdue { encumbrance: None }),
							"certificate still carries the claim after recourse"
						),
						// Settlement closes a pledge in recourse: it is live.
						FinancingKind::Pledge => check!(
							view.holder == req.holder
								&& standing
									== Some(Standing::Overdue {
										encumbrance: Some(Encumbrance::Pledged {
											pledgee: req.financier.clone(),
										}),
									}),
							"pledge in recourse no longer pledged to its financier"
						),
					}
				},
				RequestState::Settled { to_financier, to_holder, .. } => {
					check!(settled, "settled request on an unsettled certificate");
					check!(
						to_financier.checked_add(*to_holder) == Some(req.amount),
						"settlement split does not add up to the amount"
					);
					check!(
						req.kind == FinancingKind::Pledge || *to_holder == 0,
						"factoring paid something to the seller"
					);
				},
				RequestState::Lapsed { .. } => {
					check!(settled, "lapsed request on an unsettled certificate");
				},
				_ => {},
			}
		}
		check!(open_count == open.len(), "OpenRequest lists requests that do not exist");
		let recorded: BTreeMap<T::AccountId, u32> = OpenDeals::<T>::iter().collect();
		check!(recorded == deals, "OpenDeals differs from the requests not closed");
		let recorded: BTreeMap<T::AccountId, u32> = UnfundedRequests::<T>::iter().collect();
		check!(recorded == unfunded, "UnfundedRequests differs from the unfunded requests");

		// The prune queue: every closed request once, nothing else.
		let (head, tail) = PruneQueueRange::<T>::get();
		check!(head <= tail, "prune queue head past its tail");
		let queue: BTreeMap<u64, (RequestId, Moment)> = PruneQueue::<T>::iter().collect();
		check!(
			queue.keys().all(|at| (head..tail).contains(at)) && queue.len() as u64 == tail - head,
			"prune queue entries outside its range, or holes in it"
		);
		let queued: BTreeSet<RequestId> = queue.values().map(|(id, _)| *id).collect();
		check!(queued.len() == queue.len(), "a request queued twice for pruning");
		let closed: BTreeSet<RequestId> = Requests::<T>::iter()
			.filter(|(_, req)| req.state.stage() == Stage::Closed)
			.map(|(id, _)| id)
			.collect();
		check!(queued == closed, "prune queue differs from the closed requests");
		Ok(())
	}
}
