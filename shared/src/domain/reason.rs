//! Why an input is refused, for programs: every faulty field or cell the
//! API reports carries one of these stable codes beside its French message,
//! so a client branches on the code and shows the message. Declared once
//! here, with the French summary docs/api.md lists (a test keeps the two
//! equal).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! reason_codes {
    ($($(#[$attr:meta])? $variant:ident => $code:literal, $summary:literal;)+) => {
        /// A stable code for one refused field or cell; `Invalid`, the
        /// default, for reports stored before codes existed.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum ReasonCode {
            $($(#[$attr])? $variant,)+
        }

        impl ReasonCode {
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ReasonCode::$variant => $code,)+
                }
            }

            /// What the code means, in French, as docs/api.md lists it.
            pub fn summary(self) -> &'static str {
                match self {
                    $(ReasonCode::$variant => $summary,)+
                }
            }
        }
    };
}

reason_codes! {
    Required => "required", "Le champ est obligatoire et il est vide.";
    TooLong => "too_long", "Le texte dépasse la longueur permise.";
    ControlCharacter => "control_character", "Le texte contient un caractère de contrôle (tabulation, saut de ligne…).";
    NotAName => "not_a_name", "Ce n'est pas un nom de personne (chiffres, caractères de contrôle, trop long).";
    InvalidEmail => "invalid_email", "Ce n'est pas une adresse e-mail.";
    InvalidPostcode => "invalid_postcode", "Le code postal n'a pas la forme attendue (5 chiffres d'un département en France).";
    InvalidCity => "invalid_city", "Le nom de ville contient des caractères qu'une ville n'a pas.";
    InvalidCountry => "invalid_country", "Le pays n'est pas un code ISO 3166-1 alpha-3 (FRA, BEL, DEU…).";
    InvalidPlate => "invalid_plate", "L'immatriculation ne suit aucun format reconnu (SIV, FNI, W garage, ou 2 à 12 caractères à l'étranger).";
    InvalidSiren => "invalid_siren", "Le SIREN n'a pas 9 chiffres ou sa clé de contrôle est fausse.";
    InvalidSiret => "invalid_siret", "Le SIRET n'a pas 14 chiffres, sa clé de contrôle est fausse, ou il n'appartient pas au SIREN.";
    InvalidDate => "invalid_date", "Ce n'est pas une date (JJ/MM/AAAA dans les classeurs, AAAA-MM-JJ dans l'API).";
    InvalidDateTime => "invalid_date_time", "Ce n'est pas une date et une heure, ou cette heure n'existe pas à Paris (passage à l'heure d'été).";
    BeforeStart => "before_start", "La date de fin précède la date de début (sortie avant l'entrée, fin d'attribution avant son début).";
    AfterOffence => "after_offence", "La date doit précéder ou égaler le jour de l'infraction.";
    InFuture => "in_future", "La date ne peut pas être dans le futur.";
    OutOfRange => "out_of_range", "Le nombre sort de l'intervalle permis.";
    UnknownValue => "unknown_value", "La valeur n'est pas l'une de celles permises (la liste est dans le message).";
    UnknownEntity => "unknown_entity", "L'entité n'existe pas, ou n'est pas dans le périmètre de l'utilisateur.";
    UnknownDriver => "unknown_driver", "Le conducteur n'existe pas dans la base de l'entité du véhicule.";
    AmbiguousDriver => "ambiguous_driver", "Plusieurs conducteurs portent ce nom : l'adresse e-mail doit les départager.";
    UnknownVehicle => "unknown_vehicle", "Le véhicule n'est pas dans la flotte.";
    PlateHeld => "plate_held", "L'immatriculation est déjà gérée sur cette période, par un autre véhicule de la flotte ou par un autre client.";
    DuplicateInFile => "duplicate_in_file", "La même valeur figure déjà sur une autre ligne du fichier.";
    AssignmentOverlap => "assignment_overlap", "Le véhicule est déjà attribué sur cette période (à un autre conducteur, ou au même).";
    WeakPassword => "weak_password", "Le mot de passe ne suit pas les règles (longueur, majuscule, minuscule, chiffre, symbole).";
    Malformed => "malformed", "La requête ne se lit pas : JSON invalide, champ d'un mauvais type, curseur ou paramètre illisible.";
    DriverRestricted => "driver_restricted", "Le traitement des données de ce conducteur est limité (RGPD, art. 18) : il ne peut pas être désigné.";
    OneOfDesignationOrOther => "one_of_designation_or_other", "Une réponse désigne un conducteur (designation) ou répond autrement (other), l'un des deux.";
    OneOfDriverIdOrDriver => "one_of_driver_id_or_driver", "Une désignation nomme un conducteur de la base (driver_id) ou le saisit (driver), l'un des deux.";
    NoDriverEmail => "no_driver_email", "Le conducteur désigné n'a pas d'adresse e-mail pour être prévenu.";
    NotAllowed => "not_allowed", "La valeur est permise en général, mais pas pour cet utilisateur ou dans cet état.";
    #[default]
    Invalid => "invalid", "Le champ est invalide pour une autre raison, que le message précise.";
}

impl Serialize for ReasonCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Stored reports read back; a code this version does not know reads as `invalid`.
impl<'de> Deserialize<'de> for ReasonCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ok(ReasonCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .unwrap_or(ReasonCode::Invalid))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ReasonCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ReasonCode::ALL.iter().map(|c| c.as_str())))
            .description(Some(
                "Why the field or cell is refused; docs/api.md lists each code.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ReasonCode {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_read_back() {
        let mut seen = HashSet::new();
        for code in ReasonCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(serde_json::from_str::<ReasonCode>(&json).unwrap(), *code);
        }
        let unknown: ReasonCode = serde_json::from_str("\"from_a_newer_version\"").unwrap();
        assert_eq!(unknown, ReasonCode::Invalid);
    }

    /// docs/api.md lists every code with its summary, in this order.
    #[test]
    fn the_api_docs_list_every_code() {
        let docs = include_str!("../../../docs/api.md");
        for code in ReasonCode::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.summary());
            assert!(docs.contains(&row), "docs/api.md lacks the row:\n{row}");
        }
    }
}
