//! The banks' council's one path to Root.
//!
//! The chain has no sudo. Root (runtime upgrades, the validator set, the
//! time parameters) is reached only through [`Pallet::dispatch_as_root`],
//! whose origin is a supermajority of the banks' council: a council motion
//! carried by two thirds of the seats proposes `dispatch_as_root(call)` and,
//! once closed, `call` runs as Root. The `development` preset's one-member
//! council reaches Root the same way, so development exercises real
//! governance.
//!
//! Upgrades: a motion dispatches `system.authorize_upgrade(code_hash)` as
//! Root (a small motion, not a 1–2 MB one); any bank then submits
//! `system.apply_authorized_upgrade(code)`.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::GetDispatchInfo, pallet_prelude::*, traits::UnfilteredDispatchable,
	};
	use frame_system::pallet_prelude::*;
	#[cfg(feature = "upgrade-test")]
	use sp_runtime::traits::Hash;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The calls the council may dispatch as Root.
		type RuntimeCall: Parameter
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ GetDispatchInfo;

		/// Who reaches Root: in the runtime, two thirds of the banks'
		/// council.
		type RootOrigin: EnsureOrigin<Self::RuntimeOrigin>;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The council dispatched a call as Root.
		DispatchedAsRoot {
			/// What the call returned: the motion carries even when the call
			/// fails, and this says so.
			result: DispatchResult,
			/// The hash of the call: only in the runtime built with the
			/// `upgrade-test` feature, the upgrade target of the end-to-end
			/// tests, whose one change of an event's layout this is.
			#[cfg(feature = "upgrade-test")]
			call_hash: T::Hash,
		},
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatch `call` with the Root origin.
		///
		/// - Origin: `RootOrigin` (a council motion carried by two thirds of
		///   the banks' seats).
		/// - `call`: any call; it runs as Root, bypassing call filters.
		///
		/// Emits `DispatchedAsRoot` with the call's result. Weight: the
		/// call's own weight and one event write (a thin wrapper, measured by
		/// the call it wraps).
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(info.call_weight.saturating_add(T::DbWeight::get().writes(1)), info.class)
		})]
		pub fn dispatch_as_root(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			T::RootOrigin::ensure_origin(origin)?;
			Self::do_dispatch_as_root(*call);
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Runs `call` as Root and records what it returned.
		pub(crate) fn do_dispatch_as_root(call: <T as Config>::RuntimeCall) {
			#[cfg(feature = "upgrade-test")]
			let call_hash = <T as frame_system::Config>::Hashing::hash_of(&call);
			let result = call.dispatch_bypass_filter(frame_system::RawOrigin::Root.into());
			Self::deposit_event(Event::DispatchedAsRoot {
				result: result.map(|_| ()).map_err(|e| e.error),
				#[cfg(feature = "upgrade-test")]
				call_hash,
			});
		}
	}
}
