//! The validator set, governed by the banks' council.
//!
//! Each validator is a bank's node with two session keys: Aura (authoring)
//! and GRANDPA (finality voting). This pallet keeps the list, and every
//! change to it changes, in the same call, Aura's authorities
//! (`pallet_aura::Pallet::change_authorities`: from the next block), the
//! GRANDPA authority set (`pallet_grandpa::Pallet::schedule_change` with no
//! delay: the new set votes from the first block after this one is
//! finalized) and the authorised peer set (`pallet-node-authorization`), so a
//! validator's node and its keys come and go together.
//!
//! - `add_validator`: a new bank's validator (keys and node) joins.
//! - `remove_validator`: a validator leaves; its node leaves the peer set.
//!   Refused if fewer than `MinValidators` (four: GRANDPA then survives one
//!   failure) would remain, unless the motion says so (`allow_fewer`).
//! - `rotate_keys`: a validator's session keys change (a compromised key, a
//!   new machine); its node stays. The node makes the new keys with the
//!   `author_rotateKeys` RPC, which returns the SCALE-encoded keys this call
//!   takes.
//!
//! One change at a time: while a GRANDPA change is pending (in this runtime,
//! only within the block that made it) the next one is refused with
//! `ChangePending`. Not `pallet-session`: version 50 needs a currency with
//! holds, which this fee-less runtime does not have.
//!
//! The origin is `GovernanceOrigin`: in the runtime, two thirds of the banks'
//! council, or Root.

pub use pallet::*;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::*;
use scale_info::TypeInfo;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId;

/// The two session keys of a validator, in the order of the runtime's
/// `SessionKeys` (what `author_rotateKeys` returns, SCALE-encoded).
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	sp_runtime::Serialize,
	sp_runtime::Deserialize,
)]
#[serde(crate = "sp_runtime::serde", deny_unknown_fields)]
pub struct ValidatorKeys<AuraId> {
	/// Signs the blocks it authors.
	pub aura: AuraId,
	/// Signs its finality votes.
	pub grandpa: GrandpaId,
}

/// One validator: whose it is, its keys and its node.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	sp_runtime::Serialize,
	sp_runtime::Deserialize,
)]
#[serde(crate = "sp_runtime::serde", deny_unknown_fields)]
pub struct Validator<AccountId, AuraId> {
	/// The bank that runs it: the owner of its node in the peer set.
	pub bank: AccountId,
	pub keys: ValidatorKeys<AuraId>,
	/// The libp2p peer id of its node, as `pallet-node-authorization`
	/// stores it.
	pub node: OpaquePeerId,
}

/// Why a change to the set is refused: [`ValidatorSet`]'s rules.
#[derive(Clone, Copy, Eq, PartialEq, Debug)]
pub enum Refusal {
	NotValidator,
	KeyInUse,
	NodeInUse,
	TooFewValidators,
	TooManyValidators,
}

/// The validator set and its rules: every change is a method that returns
/// the new set or says why not, so each rule is in one place.
#[derive(Clone, Eq, PartialEq, Debug)]
pub struct ValidatorSet<AccountId, AuraId>(pub Vec<Validator<AccountId, AuraId>>);

impl<AccountId: Clone, AuraId: Clone + PartialEq> ValidatorSet<AccountId, AuraId> {
	fn position(&self, aura: &AuraId) -> Result<usize, Refusal> {
		self.0.iter().position(|v| &v.keys.aura == aura).ok_or(Refusal::NotValidator)
	}

	/// Whether either key is already one of a validator's (other than the
	/// one at `except`): a key signs for one validator only.
	fn key_in_use(&self, keys: &ValidatorKeys<AuraId>, except: Option<usize>) -> bool {
		self.0.iter().enumerate().any(|(i, v)| {
			Some(i) != except && (v.keys.aura == keys.aura || v.keys.grandpa == keys.grandpa)
		})
	}

	/// `validator` joins. Its keys and its node must be no other validator's.
	pub fn add(&self, validator: Validator<AccountId, AuraId>, max: u32) -> Result<Self, Refusal> {
		ensure!(self.0.len() < max as usize, Refusal::TooManyValidators);
		ensure!(!self.key_in_use(&validator.keys, None), Refusal::KeyInUse);
		ensure!(self.0.iter().all(|v| v.node != validator.node), Refusal::NodeInUse);
		let mut next = self.clone();
		next.0.push(validator);
		Ok(next)
	}

	/// The validator with `aura` leaves. At least `min` must remain unless
	/// `allow_fewer`; never none.
	pub fn remove(
		&self,
		aura: &AuraId,
		min: u32,
		allow_fewer: bool,
	) -> Result<(Self, Validator<AccountId, AuraId>), Refusal> {
		let at = self.position(aura)?;
		let left = self.0.len() - 1;
		ensure!(left > 0 && (allow_fewer || left >= min as usize), Refusal::TooFewValidators);
		let mut next = self.clone();
		let gone = next.0.remove(at);
		Ok((next, gone))
	}

	/// The validator with `aura` signs with `keys` from now on.
	pub fn rotate(&self, aura: &AuraId, keys: ValidatorKeys<AuraId>) -> Result<Self, Refusal> {
		let at = self.position(aura)?;
		ensure!(!self.key_in_use(&keys, Some(at)), Refusal::KeyInUse);
		ensure!(self.0[at].keys != keys, Refusal::KeyInUse);
		let mut next = self.clone();
		next.0[at].keys = keys;
		Ok(next)
	}

	/// Aura's authorities: the Aura keys, in order.
	pub fn aura_keys(&self) -> Vec<AuraId> {
		self.0.iter().map(|v| v.keys.aura.clone()).collect()
	}

	/// The GRANDPA authority list: the GRANDPA keys, in order, one vote each.
	pub fn grandpa_list(&self) -> sp_consensus_grandpa::AuthorityList {
		self.0.iter().map(|v| (v.keys.grandpa.clone(), 1)).collect()
	}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::traits::BuildGenesisConfig;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	pub type AuraIdOf<T> = <T as pallet_aura::Config>::AuthorityId;
	pub type ValidatorOf<T> = Validator<<T as frame_system::Config>::AccountId, AuraIdOf<T>>;
	pub type KeysOf<T> = ValidatorKeys<AuraIdOf<T>>;
	type SetOf<T> = ValidatorSet<<T as frame_system::Config>::AccountId, AuraIdOf<T>>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_aura::Config
		+ pallet_grandpa::Config
		+ pallet_node_authorization::Config
	{
		/// Who changes the set: in the runtime, two thirds of the banks'
		/// council (or Root). The peer set is changed with Root, so
		/// `pallet-node-authorization`'s origins must accept Root.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Fewest validators a change may leave without `allow_fewer`.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		type WeightInfo: WeightInfo;
	}

	/// The validators, in the order of Aura's authorities and the GRANDPA
	/// set (the same order in all three).
	#[pallet::storage]
	#[pallet::unbounded]
	pub type Validators<T: Config> = StorageValue<_, Vec<ValidatorOf<T>>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The genesis validators: the same keys, in the same order, as Aura's
		/// and GRANDPA's genesis authorities, and nodes the genesis peer set
		/// has (the genesis build checks both).
		pub validators: Vec<ValidatorOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let set = ValidatorSet(self.validators.clone());
			assert_eq!(
				pallet_aura::Authorities::<T>::get().into_inner(),
				set.aura_keys(),
				"the genesis validators' Aura keys are not Aura's genesis authorities"
			);
			assert_eq!(
				pallet_grandpa::Pallet::<T>::grandpa_authorities(),
				set.grandpa_list(),
				"the genesis validators' GRANDPA keys are not GRANDPA's genesis authorities"
			);
			let nodes = pallet_node_authorization::WellKnownNodes::<T>::get();
			for v in &self.validators {
				assert!(nodes.contains(&v.node), "a genesis validator's node is not authorised");
			}
			Validators::<T>::put(&self.validators);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator joined: it authors from the next block and votes from
		/// the first block after this one is finalized.
		ValidatorAdded {
			/// The bank that runs it.
			bank: T::AccountId,
			/// Its session keys.
			keys: KeysOf<T>,
			/// Its node, now in the authorised peer set.
			node: OpaquePeerId,
			/// How many validators there are now.
			count: u32,
		},
		/// A validator left; its keys no longer count and its node left the
		/// peer set.
		ValidatorRemoved {
			/// The bank that ran it.
			bank: T::AccountId,
			/// The keys it had.
			keys: KeysOf<T>,
			/// Its node, no longer authorised.
			node: OpaquePeerId,
			/// How many validators there are now.
			count: u32,
		},
		/// A validator's session keys changed; the old ones no longer count.
		KeysRotated {
			/// The bank that runs it.
			bank: T::AccountId,
			/// The keys it had.
			old: KeysOf<T>,
			/// The keys it signs with from now on.
			new: KeysOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No validator has this Aura key.
		NotValidator,
		/// A key is already a validator's (or the rotation changes nothing).
		KeyInUse,
		/// The node is already a validator's.
		NodeInUse,
		/// The node is in the peer set under another owner than the bank.
		NodeOfAnotherOwner,
		/// Fewer than `MinValidators` would remain, and the motion did not
		/// allow it; or none would.
		TooFewValidators,
		/// The set is full (Aura's `MaxAuthorities`).
		TooManyValidators,
		/// A change of the GRANDPA set is still pending: one at a time.
		ChangePending,
	}

	impl<T> From<Refusal> for Error<T> {
		fn from(r: Refusal) -> Self {
			match r {
				Refusal::NotValidator => Error::NotValidator,
				Refusal::KeyInUse => Error::KeyInUse,
				Refusal::NodeInUse => Error::NodeInUse,
				Refusal::TooFewValidators => Error::TooFewValidators,
				Refusal::TooManyValidators => Error::TooManyValidators,
			}
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// A validator joins: its keys become Aura and GRANDPA authorities,
		/// its node enters the peer set (owned by `validator.bank`; a node
		/// already there must be that bank's).
		///
		/// - Origin: `GovernanceOrigin` (two thirds of the banks' council).
		/// - `validator`: the bank, its session keys and its node's peer id.
		///
		/// Emits `ValidatorAdded`, and `NodeAdded` of node authorization.
		/// Weight: `add_validator`, linear in the size of the set.
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, validator: ValidatorOf<T>) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_add(validator)
		}

		/// The validator with Aura key `aura` leaves: its keys stop counting
		/// and its node leaves the peer set.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `aura`: the validator's Aura key.
		/// - `allow_fewer`: the motion accepts leaving fewer than
		///   `MinValidators` (GRANDPA then cannot survive a failure).
		///
		/// Emits `ValidatorRemoved`, and `NodeRemoved` of node authorization.
		/// Weight: `remove_validator`.
		#[pallet::call_index(1)]
		pub fn remove_validator(
			origin: OriginFor<T>,
			aura: AuraIdOf<T>,
			allow_fewer: bool,
		) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_remove(aura, allow_fewer)
		}

		/// The validator with Aura key `aura` signs with `keys` from now on;
		/// its node stays.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - `aura`: the validator's current Aura key.
		/// - `keys`: the new keys, as its node's `author_rotateKeys` returned
		///   them.
		///
		/// Emits `KeysRotated`. Weight: `rotate_keys`.
		#[pallet::call_index(2)]
		pub fn rotate_keys(
			origin: OriginFor<T>,
			aura: AuraIdOf<T>,
			keys: KeysOf<T>,
		) -> DispatchResult {
			<T as Config>::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_rotate(aura, keys)
		}
	}

	impl<T: Config> Pallet<T> {
		fn set() -> SetOf<T> {
			ValidatorSet(Validators::<T>::get())
		}

		fn max() -> u32 {
			<T as pallet_aura::Config>::MaxAuthorities::get()
				.min(<T as pallet_grandpa::Config>::MaxAuthorities::get())
		}

		pub(crate) fn do_add(validator: ValidatorOf<T>) -> DispatchResult {
			let next = Self::set().add(validator.clone(), Self::max()).map_err(Error::<T>::from)?;
			Self::enact(&next)?;
			let nodes = pallet_node_authorization::WellKnownNodes::<T>::get();
			if nodes.contains(&validator.node) {
				let owner = pallet_node_authorization::Owners::<T>::get(&validator.node);
				ensure!(owner.as_ref() == Some(&validator.bank), Error::<T>::NodeOfAnotherOwner);
			} else {
				pallet_node_authorization::Pallet::<T>::add_well_known_node(
					frame_system::RawOrigin::Root.into(),
					validator.node.clone(),
					<T as frame_system::Config>::Lookup::unlookup(validator.bank.clone()),
				)?;
			}
			Self::deposit_event(Event::ValidatorAdded {
				bank: validator.bank,
				keys: validator.keys,
				node: validator.node,
				count: next.0.len() as u32,
			});
			Ok(())
		}

		pub(crate) fn do_remove(aura: AuraIdOf<T>, allow_fewer: bool) -> DispatchResult {
			let (next, gone) = Self::set()
				.remove(&aura, <T as Config>::MinValidators::get(), allow_fewer)
				.map_err(Error::<T>::from)?;
			Self::enact(&next)?;
			if pallet_node_authorization::WellKnownNodes::<T>::get().contains(&gone.node) {
				pallet_node_authorization::Pallet::<T>::remove_well_known_node(
					frame_system::RawOrigin::Root.into(),
					gone.node.clone(),
				)?;
			}
			Self::deposit_event(Event::ValidatorRemoved {
				bank: gone.bank,
				keys: gone.keys,
				node: gone.node,
				count: next.0.len() as u32,
			});
			Ok(())
		}

		pub(crate) fn do_rotate(aura: AuraIdOf<T>, keys: KeysOf<T>) -> DispatchResult {
			let set = Self::set();
			let next = set.rotate(&aura, keys.clone()).map_err(Error::<T>::from)?;
			Self::enact(&next)?;
			let old = set.0.into_iter().find(|v| v.keys.aura == aura).map(|v| v.keys);
			let bank = next.0.iter().find(|v| v.keys == keys).map(|v| v.bank.clone());
			if let (Some(old), Some(bank)) = (old, bank) {
				Self::deposit_event(Event::KeysRotated { bank, old, new: keys });
			}
			Ok(())
		}

		/// Makes `next` the set: Aura's authorities now, GRANDPA's set once
		/// this block is finalized. A pending GRANDPA change refuses it.
		fn enact(next: &SetOf<T>) -> DispatchResult {
			ensure!(!pallet_grandpa::PendingChange::<T>::exists(), Error::<T>::ChangePending);
			pallet_grandpa::Pallet::<T>::schedule_change(next.grandpa_list(), Zero::zero(), None)?;
			let aura = BoundedVec::try_from(next.aura_keys())
				.map_err(|_| Error::<T>::TooManyValidators)?;
			pallet_aura::Pallet::<T>::change_authorities(aura);
			Validators::<T>::put(&next.0);
			Ok(())
		}

		/// The invariants: Aura's authorities are the validators' Aura keys,
		/// GRANDPA's set (or its pending change) their GRANDPA keys, each
		/// validator's node is authorised, and no key or node is two
		/// validators'.
		pub fn check_invariants() -> Result<(), &'static str> {
			let set = Self::set();
			if pallet_aura::Authorities::<T>::get().into_inner() != set.aura_keys() {
				return Err("Aura's authorities are not the validators' Aura keys");
			}
			let grandpa = match pallet_grandpa::PendingChange::<T>::get() {
				Some(change) => change.next_authorities.into_inner(),
				None => pallet_grandpa::Pallet::<T>::grandpa_authorities(),
			};
			if grandpa != set.grandpa_list() {
				return Err("GRANDPA's set is not the validators' GRANDPA keys");
			}
			let nodes = pallet_node_authorization::WellKnownNodes::<T>::get();
			if !set.0.iter().all(|v| nodes.contains(&v.node)) {
				return Err("a validator's node is not in the peer set");
			}
			for (i, v) in set.0.iter().enumerate() {
				if set.key_in_use(&v.keys, Some(i)) || set.0[..i].iter().any(|w| w.node == v.node) {
					return Err("a key or node is two validators'");
				}
			}
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::check_invariants().map_err(Into::into)
		}
	}
}

/// Weights of the calls; generated by the benchmarks in the runtime
/// (`weights::validators`).
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
	fn rotate_keys() -> Weight;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking {
	use super::*;
	use alloc::{collections::BTreeSet, vec};
	use frame_benchmarking::v2::*;
	use frame_support::WeakBoundedVec;
	use frame_system::RawOrigin;

	/// Keys no one holds, distinct for each `i`.
	fn keys<T: Config>(i: u32) -> KeysOf<T> {
		let seed = |tag: u8| {
			let mut b = [tag; 32];
			b[..4].copy_from_slice(&i.to_le_bytes());
			b
		};
		ValidatorKeys {
			aura: Decode::decode(&mut &seed(1)[..]).expect("32 bytes are an sr25519 key"),
			grandpa: Decode::decode(&mut &seed(2)[..]).expect("32 bytes are an ed25519 key"),
		}
	}

	/// A validator of its own bank and node, distinct for each `i`.
	fn validator<T: Config>(i: u32) -> ValidatorOf<T> {
		let mut node = vec![0u8, 36, 8, 1, 18, 32];
		node.extend([3u8; 32]);
		node[6..10].copy_from_slice(&i.to_le_bytes());
		Validator { bank: account("bank", i, 0), keys: keys::<T>(i), node: OpaquePeerId(node) }
	}

	/// Makes `n` generated validators the whole set, in this pallet, Aura,
	/// GRANDPA and the peer set alike.
	fn fill<T: Config>(n: u32) {
		let set = ValidatorSet((0..n).map(validator::<T>).collect());
		pallet_aura::Authorities::<T>::put(
			BoundedVec::try_from(set.aura_keys()).expect("n is within MaxAuthorities"),
		);
		pallet_grandpa::Authorities::<T>::put(WeakBoundedVec::force_from(set.grandpa_list(), None));
		let mut nodes: BTreeSet<_> = pallet_node_authorization::WellKnownNodes::<T>::get();
		for v in &set.0 {
			nodes.insert(v.node.clone());
			pallet_node_authorization::Owners::<T>::insert(&v.node, v.bank.clone());
		}
		pallet_node_authorization::WellKnownNodes::<T>::put(nodes);
		Validators::<T>::put(set.0);
	}

	fn max<T: Config>() -> u32 {
		<T as pallet_aura::Config>::MaxAuthorities::get()
			.min(<T as pallet_grandpa::Config>::MaxAuthorities::get())
	}

	#[benchmarks]
	mod benches {
		use super::*;

		/// The worst case: the set has room for one more.
		#[benchmark]
		fn add_validator() {
			let n = max::<T>() - 1;
			fill::<T>(n);
			let new = validator::<T>(n);
			#[extrinsic_call]
			_(RawOrigin::Root, new);
			assert_eq!(Validators::<T>::get().len() as u32, n + 1);
		}

		/// The worst case: a full set loses its first validator.
		#[benchmark]
		fn remove_validator() {
			let n = max::<T>();
			fill::<T>(n);
			#[extrinsic_call]
			_(RawOrigin::Root, keys::<T>(0).aura, false);
			assert_eq!(Validators::<T>::get().len() as u32, n - 1);
		}

		/// The worst case: the last of a full set gets new keys.
		#[benchmark]
		fn rotate_keys() {
			let n = max::<T>();
			fill::<T>(n);
			let new = keys::<T>(n);
			#[extrinsic_call]
			_(RawOrigin::Root, keys::<T>(n - 1).aura, new.clone());
			assert_eq!(Validators::<T>::get()[(n - 1) as usize].keys, new);
		}
	}
}
