//! Settlement (兑付): the receivables pallet tells this pallet of every
//! certificate it pays, and the open request of the certificate (if any) is
//! closed with what went to whom.
//!
//! - Funded by factoring: the financier holds the certificate and was paid
//!   all of it: `to_financier = amount`, `to_holder = 0`.
//! - Funded by pledge: the holder was paid, and owes the financier the
//!   advance plus the discount: `to_financier = min(amount, advance +
//!   discount)`, `to_holder = amount − to_financier`.
//! - A pledge in recourse: as a funded pledge (the discount from payout to
//!   due date), and the recourse claim is cleared: the financier was paid.
//! - Not paid out yet (requested, offered or accepted): the request lapses.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::weights::Weight;
use pallet_receivables::{OnCertificateSettled, Standing};

impl<T: Config> OnCertificateSettled<T::AccountId> for Pallet<T> {
	fn on_settled(
		id: CertificateId,
		_holder: &T::AccountId,
		amount: Amount,
		_standing: &Standing<T::AccountId>,
	) {
		let Some(request) = OpenRequest::<T>::get(id) else { return };
		let Some(req) = Requests::<T>::get(request) else {
			log::error!(target: crate::LOG_TARGET, "open request {request} of {id} is missing");
			OpenRequest::<T>::remove(id);
			return;
		};
		let now = Self::now();
		let (holder, financier, kind) = (req.holder.clone(), req.financier.clone(), req.kind);
		let funded = match req.state.clone() {
			RequestState::Funded { terms, discount, .. } => Some((terms, discount)),
			RequestState::InRecourse { terms, funded_at, .. } if kind == FinancingKind::Pledge => {
				RecourseClaims::<T>::remove(request);
				Some((terms, discount(terms.advance, terms.discount_bps, funded_at, req.due)))
			},
			_ => None,
		};
		match funded {
			Some((terms, discount)) => {
				let to_financier = match kind {
					FinancingKind::Factoring => amount,
					FinancingKind::Pledge => amount.min(terms.advance.saturating_add(discount)),
				};
				let to_holder = amount - to_financier;
				Self::close(
					request,
					req,
					RequestState::Settled { terms, to_financier, to_holder, at: now },
				);
				Self::deposit_event(Event::<T>::Settled {
					request,
					certificate: id,
					holder,
					financier,
					kind,
					amount,
					to_financier,
					to_holder,
					at: now,
				});
			},
			None if req.state.is_unfunded() => {
				Self::close(request, req, RequestState::Lapsed { at: now });
				Self::deposit_event(Event::<T>::Lapsed {
					request,
					certificate: id,
					holder,
					financier,
					at: now,
				});
			},
			_ => {
				// `OpenRequest` lists only requests that hold their
				// certificate (`Request::holds_certificate`).
				log::error!(target: crate::LOG_TARGET, "request {request} listed open but closed");
				OpenRequest::<T>::remove(id);
			},
		}
	}

	fn on_settled_weight() -> Weight {
		T::WeightInfo::on_settled()
	}
}
