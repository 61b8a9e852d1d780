//! `stripe_user[…]` prefill fields of the authorize URL.

use crate::error::Error;

macro_rules! stripe_user_fields {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A `stripe_user[…]` prefill field of Stripe's authorize endpoint.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum StripeUserField {
            $(
                #[doc = $doc]
                $variant,
            )*
        }

        impl StripeUserField {
            /// Every field, in the order the authorize URL lists them.
            pub const ALL: [StripeUserField; stripe_user_fields!(@count $($variant)*)] =
                [$(Self::$variant,)*];

            /// Returns the name inside the brackets, such as `email`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
    (@count $($variant:ident)*) => { 0 $(+ stripe_user_fields!(@one $variant))* };
    (@one $variant:ident) => { 1 };
}

stripe_user_fields! {
    Email => "email", "The user's email address.";
    Url => "url", "The business website.";
    Country => "country", "The two-letter country code, such as `US`.";
    PhoneNumber => "phone_number", "The phone number, digits only for US numbers.";
    BusinessName => "business_name", "The legal business name.";
    BusinessType => "business_type", "The business type, such as `sole_prop` or `corporation`.";
    FirstName => "first_name", "The first name of the person who fills in the form.";
    LastName => "last_name", "The last name of the person who fills in the form.";
    DobDay => "dob_day", "The day of birth, 1 to 31.";
    DobMonth => "dob_month", "The month of birth, 1 to 12.";
    DobYear => "dob_year", "The four-digit year of birth.";
    StreetAddress => "street_address", "The street address of the business.";
    City => "city", "The city of the business.";
    State => "state", "The state or province of the business, such as `CA`.";
    Zip => "zip", "The postal code of the business.";
    PhysicalProduct => "physical_product", "Whether the business ships physical goods, as `true` or `false`.";
    ProductDescription => "product_description", "A description of what the business sells.";
    Currency => "currency", "The three-letter currency code, such as `usd`.";
    FirstNameKana => "first_name_kana", "The first name in Kana (Japan).";
    FirstNameKanji => "first_name_kanji", "The first name in Kanji (Japan).";
    LastNameKana => "last_name_kana", "The last name in Kana (Japan).";
    LastNameKanji => "last_name_kanji", "The last name in Kanji (Japan).";
    Gender => "gender", "The gender of the person, `male` or `female` (Japan).";
    BlockKana => "block_kana", "The block or building number in Kana (Japan).";
    BlockKanji => "block_kanji", "The block or building number in Kanji (Japan).";
    BuildingKana => "building_kana", "The building name and number in Kana (Japan).";
    BuildingKanji => "building_kanji", "The building name and number in Kanji (Japan).";
}

impl StripeUserField {
    /// Finds a field by its name inside the brackets.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the unknown field. Send fields that this version does not
    /// know through the authorize parameters' `extra` entries.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|field| field.name() == name)
            .ok_or_else(|| {
                Error::invalid_input(
                    "stripe_user",
                    format!(
                        "unknown stripe_user field `{name}`: use one of the documented prefill \
                         fields, or pass it as an extra parameter"
                    ),
                )
            })
    }
}

macro_rules! text_setters {
    ($($method:ident => $variant:ident;)*) => {
        $(
            #[doc = concat!("Sets `stripe_user[", stringify!($method), "]`.")]
            pub fn $method(self, value: impl Into<String>) -> Self {
                self.with(StripeUserField::$variant, value.into())
            }
        )*
    };
}

/// Prefill values for Stripe's onboarding form, sent as `stripe_user[…]` parameters.
///
/// Every setter overwrites an earlier value of the same field. Values are checked when the
/// authorize URL is built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StripeUser {
    values: [Option<String>; StripeUserField::ALL.len()],
}

impl StripeUser {
    /// Creates an empty prefill.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a field by its enum value, as bindings that take a field name do.
    pub fn set(&mut self, field: StripeUserField, value: impl Into<String>) {
        self.values[field as usize] = Some(value.into());
    }

    fn with(mut self, field: StripeUserField, value: String) -> Self {
        self.set(field, value);
        self
    }

    /// Returns a field's value, if set.
    pub fn get(&self, field: StripeUserField) -> Option<&str> {
        self.values[field as usize].as_deref()
    }

    /// Returns whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    text_setters! {
        email => Email;
        url => Url;
        country => Country;
        phone_number => PhoneNumber;
        business_name => BusinessName;
        business_type => BusinessType;
        first_name => FirstName;
        last_name => LastName;
        street_address => StreetAddress;
        city => City;
        state => State;
        zip => Zip;
        product_description => ProductDescription;
        currency => Currency;
        first_name_kana => FirstNameKana;
        first_name_kanji => FirstNameKanji;
        last_name_kana => LastNameKana;
        last_name_kanji => LastNameKanji;
        gender => Gender;
        block_kana => BlockKana;
        block_kanji => BlockKanji;
        building_kana => BuildingKana;
        building_kanji => BuildingKanji;
    }

    /// Sets `stripe_user[dob_day]`, 1 to 31.
    pub fn dob_day(self, day: u8) -> Self {
        self.with(StripeUserField::DobDay, day.to_string())
    }

    /// Sets `stripe_user[dob_month]`, 1 to 12.
    pub fn dob_month(self, month: u8) -> Self {
        self.with(StripeUserField::DobMonth, month.to_string())
    }

    /// Sets `stripe_user[dob_year]`, four digits.
    pub fn dob_year(self, year: u16) -> Self {
        self.with(StripeUserField::DobYear, year.to_string())
    }

    /// Sets `stripe_user[physical_product]` as the word `true` or `false`.
    pub fn physical_product(self, ships_physical_goods: bool) -> Self {
        self.with(
            StripeUserField::PhysicalProduct,
            ships_physical_goods.to_string(),
        )
    }

    /// Lists the set fields in URL order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (StripeUserField, &str)> {
        StripeUserField::ALL
            .into_iter()
            .zip(&self.values)
            .filter_map(|(field, value)| Some((field, value.as_deref()?)))
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        for (field, value) in self.entries() {
            check_value(field, value)?;
        }
        Ok(())
    }
}

fn check_number(
    field: StripeUserField,
    value: &str,
    range: std::ops::RangeInclusive<u16>,
) -> Result<(), Error> {
    let in_range = value.len() <= 4
        && value.bytes().all(|b| b.is_ascii_digit())
        && value
            .parse::<u16>()
            .is_ok_and(|number| range.contains(&number));
    if in_range {
        return Ok(());
    }
    Err(Error::invalid_input(
        "stripe_user",
        format!(
            "stripe_user[{}] must be a number from {} to {}",
            field.name(),
            range.start(),
            range.end()
        ),
    ))
}

fn check_value(field: StripeUserField, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(
            "stripe_user",
            format!(
                "stripe_user[{}] is empty: leave the field unset instead",
                field.name()
            ),
        ));
    }
    match field {
        StripeUserField::DobDay => check_number(field, value, 1..=31),
        StripeUserField::DobMonth => check_number(field, value, 1..=12),
        StripeUserField::DobYear => check_number(field, value, 1000..=9999),
        StripeUserField::PhysicalProduct if value != "true" && value != "false" => {
            Err(Error::invalid_input(
                "stripe_user",
                "stripe_user[physical_product] must be true or false",
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_list_has_27_documented_names() {
        assert_eq!(StripeUserField::ALL.len(), 27);
        assert_eq!(StripeUserField::ALL[0].name(), "email");
        assert_eq!(StripeUserField::ALL[26].name(), "building_kanji");
    }

    #[test]
    fn field_names_round_trip() {
        for field in StripeUserField::ALL {
            assert_eq!(StripeUserField::from_name(field.name()).unwrap(), field);
        }
        assert!(StripeUserField::from_name("favorite_color").is_err());
    }

    #[test]
    fn numeric_fields_are_checked() {
        assert!(StripeUser::new().dob_day(0).validate().is_err());
        assert!(StripeUser::new().dob_month(13).validate().is_err());
        assert!(StripeUser::new().dob_year(999).validate().is_err());
        assert!(
            StripeUser::new()
                .dob_day(31)
                .dob_month(12)
                .dob_year(1990)
                .validate()
                .is_ok()
        );
        let mut user = StripeUser::new();
        user.set(StripeUserField::PhysicalProduct, "yes");
        assert!(user.validate().is_err());
    }
}
