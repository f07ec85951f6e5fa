//! The signature a transaction carries, and the key it is checked against.
//!
//! [`Signature`] is Substrate's `MultiSignature` with the Ethereum variant
//! replaced by SM2: the first three variants have the same SCALE indices,
//! encodings, account derivation and verification as `MultiSignature` and
//! `MultiSigner` (so sr25519 development keys and the usual tools keep
//! working), and index 3 is [`Sm2Signature`].

use crate::sm2::{sm2_crypto, Sm2Public, Sm2Signature};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{crypto::AccountId32, ecdsa, ed25519, sr25519};
use sp_runtime::{
	traits::{IdentifyAccount, Lazy, Verify},
	MultiSignature, MultiSigner,
};

/// A transaction signature: ed25519, sr25519, ecdsa (secp256k1) or SM2.
#[derive(
	Eq, PartialEq, Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, Debug, TypeInfo,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
pub enum Signature {
	/// An Ed25519 signature (as `MultiSignature::Ed25519`).
	#[codec(index = 0)]
	Ed25519(ed25519::Signature),
	/// An Sr25519 signature (as `MultiSignature::Sr25519`).
	#[codec(index = 1)]
	Sr25519(sr25519::Signature),
	/// A recoverable ECDSA/secp256k1 signature over the Blake2-256 hash of the
	/// message (as `MultiSignature::Ecdsa`).
	#[codec(index = 2)]
	Ecdsa(ecdsa::Signature),
	/// An SM2 signature with the signer's public key.
	#[codec(index = 3)]
	Sm2(Sm2Signature),
}

/// The public key behind an account: ed25519, sr25519, ecdsa or SM2.
#[derive(
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	Debug,
	TypeInfo,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
pub enum Signer {
	/// An Ed25519 key; the account is the key.
	#[codec(index = 0)]
	Ed25519(ed25519::Public),
	/// An Sr25519 key; the account is the key.
	#[codec(index = 1)]
	Sr25519(sr25519::Public),
	/// A compressed secp256k1 key; the account is the Blake2-256 hash of it.
	#[codec(index = 2)]
	Ecdsa(ecdsa::Public),
	/// A compressed SM2 key; the account is the SM3 hash of it.
	#[codec(index = 3)]
	Sm2(Sm2Public),
}

impl IdentifyAccount for Signer {
	type AccountId = AccountId32;

	fn into_account(self) -> AccountId32 {
		match self {
			Self::Ed25519(who) => MultiSigner::Ed25519(who).into_account(),
			Self::Sr25519(who) => MultiSigner::Sr25519(who).into_account(),
			Self::Ecdsa(who) => MultiSigner::Ecdsa(who).into_account(),
			Self::Sm2(who) => who.account_id(),
		}
	}
}

impl Verify for Signature {
	type Signer = Signer;

	/// The first three variants verify exactly as `MultiSignature` does. An
	/// SM2 signature verifies when the account is the SM3 hash of the key it
	/// carries and the signature verifies under that key (through the
	/// [`sm2_crypto::verify`] host function).
	fn verify<L: Lazy<[u8]>>(&self, mut msg: L, signer: &AccountId32) -> bool {
		match self {
			Self::Ed25519(sig) => MultiSignature::Ed25519(*sig).verify(msg, signer),
			Self::Sr25519(sig) => MultiSignature::Sr25519(*sig).verify(msg, signer),
			Self::Ecdsa(sig) => MultiSignature::Ecdsa(*sig).verify(msg, signer),
			Self::Sm2(sig) => {
				sig.public.account_id() == *signer
					&& sm2_crypto::verify(&sig.signature, &sig.public.0, msg.get())
			},
		}
	}
}

impl AsRef<[u8]> for Signer {
	fn as_ref(&self) -> &[u8] {
		match self {
			Self::Ed25519(who) => who.as_ref(),
			Self::Sr25519(who) => who.as_ref(),
			Self::Ecdsa(who) => who.as_ref(),
			Self::Sm2(who) => who.as_ref(),
		}
	}
}

#[cfg(feature = "std")]
impl std::fmt::Display for Signer {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			Self::Ed25519(who) => write!(f, "ed25519: {who}"),
			Self::Sr25519(who) => write!(f, "sr25519: {who}"),
			Self::Ecdsa(who) => write!(f, "ecdsa: {who}"),
			Self::Sm2(who) => write!(f, "sm2: {who}"),
		}
	}
}

/// `From` each inner type into the enum, and `TryFrom` the enum back (failing
/// with `()` on another variant), as `sp_runtime` does for its own enums.
macro_rules! variant_conversions {
	($enum:ident, $variant:ident, $inner:ty) => {
		impl From<$inner> for $enum {
			fn from(x: $inner) -> Self {
				Self::$variant(x)
			}
		}

		impl TryFrom<$enum> for $inner {
			type Error = ();

			fn try_from(m: $enum) -> Result<Self, ()> {
				match m {
					$enum::$variant(x) => Ok(x),
					_ => Err(()),
				}
			}
		}
	};
}

variant_conversions!(Signature, Ed25519, ed25519::Signature);
variant_conversions!(Signature, Sr25519, sr25519::Signature);
variant_conversions!(Signature, Ecdsa, ecdsa::Signature);
variant_conversions!(Signature, Sm2, Sm2Signature);
variant_conversions!(Signer, Ed25519, ed25519::Public);
variant_conversions!(Signer, Sr25519, sr25519::Public);
variant_conversions!(Signer, Ecdsa, ecdsa::Public);
variant_conversions!(Signer, Sm2, Sm2Public);

impl TryFrom<MultiSignature> for Signature {
	type Error = ();

	/// Every variant but `Eth`, which this chain does not accept.
	fn try_from(m: MultiSignature) -> Result<Self, ()> {
		match m {
			MultiSignature::Ed25519(x) => Ok(Self::Ed25519(x)),
			MultiSignature::Sr25519(x) => Ok(Self::Sr25519(x)),
			MultiSignature::Ecdsa(x) => Ok(Self::Ecdsa(x)),
			MultiSignature::Eth(_) => Err(()),
		}
	}
}

impl TryFrom<MultiSigner> for Signer {
	type Error = ();

	/// Every variant but `Eth`, which this chain does not accept.
	fn try_from(m: MultiSigner) -> Result<Self, ()> {
		match m {
			MultiSigner::Ed25519(x) => Ok(Self::Ed25519(x)),
			MultiSigner::Sr25519(x) => Ok(Self::Sr25519(x)),
			MultiSigner::Ecdsa(x) => Ok(Self::Ecdsa(x)),
			MultiSigner::Eth(_) => Err(()),
		}
	}
}

impl TryFrom<Signature> for MultiSignature {
	type Error = ();

	/// Every variant but SM2, which `MultiSignature` does not have.
	fn try_from(s: Signature) -> Result<Self, ()> {
		match s {
			Signature::Ed25519(x) => Ok(Self::Ed25519(x)),
			Signature::Sr25519(x) => Ok(Self::Sr25519(x)),
			Signature::Ecdsa(x) => Ok(Self::Ecdsa(x)),
			Signature::Sm2(_) => Err(()),
		}
	}
}

#[cfg(test)]
mod tests;
