//! `application/x-www-form-urlencoded` request bodies.

use crate::error::OAuthError;
use crate::http::Request;

/// Decoded form pairs of a request body, in order.
#[derive(Debug)]
pub(crate) struct Form {
    pub(crate) pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes the body. A body must come with `Content-Type:
    /// application/x-www-form-urlencoded`, because Stripe's OAuth endpoints read no other
    /// encoding; an empty body needs no content type.
    pub(crate) fn from_request(request: &Request) -> Result<Self, OAuthError> {
        let is_form = request.header("content-type").is_some_and(|content_type| {
            let media_type = content_type.split(';').next().unwrap_or_default().trim();
            media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
        if !is_form && !request.body.is_empty() {
            return Err(OAuthError::invalid_request(
                "The request body must be form-encoded: send Content-Type: \
                 application/x-www-form-urlencoded.",
            ));
        }

        Ok(Form {
            pairs: form_urlencoded::parse(&request.body).into_owned().collect(),
        })
    }

    /// Returns the value of a parameter that may appear at most once.
    pub(crate) fn single(&self, name: &str) -> Result<Option<&str>, OAuthError> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(OAuthError::duplicate_param(name));
        }
        Ok(first)
    }

    /// Returns the value of a parameter that must appear once with a non-empty value.
    pub(crate) fn required(&self, name: &str) -> Result<&str, OAuthError> {
        match self.single(name)? {
            None | Some("") => Err(OAuthError::missing_param(name)),
            Some(value) => Ok(value),
        }
    }

    /// Returns the items of an array parameter, sent as `name[]=…` or `name[0]=…`, in order.
    pub(crate) fn array(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(key, _)| {
                key.strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('['))
                    .and_then(|rest| rest.strip_suffix(']'))
                    .is_some_and(|index| index.bytes().all(|byte| byte.is_ascii_digit()))
            })
            .map(|(_, value)| value.clone())
            .collect()
    }
}

/// Decodes a query string into pairs (`+` is a space).
pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Form {
        Form {
            pairs: pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn array_accepts_empty_and_numeric_brackets() {
        let form = form(&[
            ("assert_capabilities[]", "transfers"),
            ("assert_capabilities[1]", "card_payments"),
            ("assert_capabilities[x]", "ignored"),
            ("assert_capabilities", "ignored"),
        ]);
        assert_eq!(
            form.array("assert_capabilities"),
            vec!["transfers".to_owned(), "card_payments".to_owned()]
        );
    }

    #[test]
    fn single_rejects_duplicates() {
        let form = form(&[("code", "a"), ("code", "b")]);
        assert_eq!(form.single("code").unwrap_err().error, "invalid_request");
    }

    #[test]
    fn required_rejects_empty() {
        let form = form(&[("code", "")]);
        assert_eq!(
            form.required("code").unwrap_err().error_description,
            "Missing required param: code."
        );
    }
}
