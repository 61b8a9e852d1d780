//! The HTML onboarding page shown by the authorize endpoints.

use crate::authorize::AuthorizeRequest;
use crate::state::Flow;

/// Path the onboarding form posts the user's decision to.
pub(crate) const DECISION_PATH: &str = "/oauth/authorize/decision";

/// Prefill fields shown even when the request does not send them.
const ALWAYS_SHOWN_FIELDS: &[&str] = &["email", "business_name", "country"];

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
        escape_html(name),
        escape_html(value)
    )
}

/// Renders the onboarding page for a validated request. Every value taken from the request
/// is HTML-escaped.
pub(crate) fn render(request: &AuthorizeRequest) -> String {
    let account_kind = match request.flow {
        Flow::Standard => "Standard",
        Flow::Express => "Express",
    };
    let heading = if request.stripe_landing == "login" {
        "Sign in to connect your Stripe account"
    } else {
        "Create a Stripe account to connect"
    };

    let mut hidden_fields = String::new();
    hidden_fields.push_str(&hidden("flow", request.flow.name()));
    hidden_fields.push_str(&hidden("client_id", &request.client_id));
    hidden_fields.push_str(&hidden("redirect_uri", &request.redirect_uri));
    if request.flow == Flow::Standard {
        hidden_fields.push_str(&hidden("scope", &request.scope));
    }
    if let Some(state) = &request.state {
        hidden_fields.push_str(&hidden("state", state));
    }
    hidden_fields.push_str(&hidden("stripe_landing", &request.stripe_landing));
    for capability in &request.suggested_capabilities {
        hidden_fields.push_str(&hidden("suggested_capabilities[]", capability));
    }

    let mut prefill_fields = String::new();
    let mut shown: Vec<(&str, &str)> = request
        .stripe_user
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    for field in ALWAYS_SHOWN_FIELDS {
        if !shown.iter().any(|(key, _)| key == field) {
            shown.push((field, ""));
        }
    }
    for (key, value) in shown {
        let key = escape_html(key);
        prefill_fields.push_str(&format!(
            "<label for=\"stripe_user_{key}\">{key}</label>\n\
             <input id=\"stripe_user_{key}\" name=\"stripe_user[{key}]\" value=\"{}\">\n",
            escape_html(value)
        ));
    }

    let capabilities = if request.suggested_capabilities.is_empty() {
        String::new()
    } else {
        format!(
            "<p>Suggested capabilities: <span id=\"capabilities\">{}</span></p>\n",
            escape_html(&request.suggested_capabilities.join(", "))
        )
    };

    format!(
        "<!DOCTYPE html>\n\
<html lang=\"en\">\n\
<head>\n\
<meta charset=\"utf-8\">\n\
<title>Connect with Stripe (fake)</title>\n\
<style>\n\
body {{ font-family: sans-serif; max-width: 36rem; margin: 2rem auto; color: #1a1f36; }}\n\
.notice {{ background: #fff4d6; padding: 0.5rem; }}\n\
label {{ display: block; margin-top: 0.5rem; }}\n\
input {{ width: 100%; }}\n\
input[type=checkbox] {{ width: auto; }}\n\
button {{ margin: 1rem 0.5rem 0 0; padding: 0.5rem 1rem; }}\n\
</style>\n\
</head>\n\
<body>\n\
<main>\n\
<h1>{heading}</h1>\n\
<p class=\"notice\">This is a local fake of connect.stripe.com for testing. No data leaves \
this machine and no real Stripe account is created.</p>\n\
<p>The platform <strong id=\"client-id\">{client_id}</strong> requests \
<strong id=\"scope\">{scope}</strong> access to a {account_kind} account.</p>\n\
{capabilities}\
<p>After your decision you return to <code id=\"redirect-uri\">{redirect_uri}</code>.</p>\n\
<form method=\"post\" action=\"{DECISION_PATH}\">\n\
{hidden_fields}\
<fieldset>\n\
<legend>Account details</legend>\n\
{prefill_fields}\
</fieldset>\n\
<label><input type=\"checkbox\" id=\"livemode\" name=\"livemode\" value=\"true\"> \
Live mode (codes are test-mode unless this is checked)</label>\n\
<button type=\"submit\" id=\"authorize\" name=\"decision\" value=\"approve\">Authorize access \
to this account</button>\n\
<button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">Deny</button>\n\
</form>\n\
</main>\n\
</body>\n\
</html>\n",
        client_id = escape_html(&request.client_id),
        scope = escape_html(&request.scope),
        redirect_uri = escape_html(&request.redirect_uri),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
