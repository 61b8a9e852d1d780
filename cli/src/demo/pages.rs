//! The demo's HTML pages. Every value shown is HTML-escaped with [`escape`].

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn escape(text: &str) -> String {
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

const STYLE: &str = "
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif;
       color: #1a1f36; background: #f6f9fc; }
header { display: flex; justify-content: space-between; align-items: center; gap: 1em;
         padding: 0.9em 2em; background: #fff; border-bottom: 1px solid #e3e8ee; }
header .brand { font-weight: 700; color: #1a1f36; text-decoration: none; }
header .stripe { font-size: 0.85em; color: #697386; }
main { max-width: 44em; margin: 2.5em auto; padding: 2em 2.5em; background: #fff;
       border: 1px solid #e3e8ee; border-radius: 8px; }
h1 { margin-top: 0; font-size: 1.6em; }
.button { display: inline-block; padding: 0.6em 1.2em; border: 0; border-radius: 6px;
          background: #635bff; color: #fff; font: inherit; font-weight: 600;
          text-decoration: none; cursor: pointer; }
.button.secondary { background: #fff; color: #635bff; box-shadow: inset 0 0 0 1px #635bff; }
.button.danger { background: #df1b41; }
.actions { display: flex; flex-wrap: wrap; gap: 1em; margin: 1.5em 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4em 1.5em; }
dt { color: #697386; }
dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; }
.note { color: #697386; font-size: 0.9em; }
.problem { border-left: 4px solid #df1b41; padding-left: 1em; }
ol { padding-left: 1.3em; color: #3c4257; }
";

/// Wraps a page body in the common layout. `stripe` names the Stripe server in use.
fn layout(title: &str, stripe: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Demo platform</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><a class=\"brand\" href=\"/\">Demo platform</a>\
         <span class=\"stripe\" id=\"stripe\">Stripe: {stripe}</span></header>\n\
         <main>\n{body}\n</main>\n</body>\n</html>\n",
        title = escape(title),
        stripe = escape(stripe),
    )
}

/// Renders the home page with the two "Connect with Stripe" buttons.
pub fn home(stripe: &str) -> String {
    let body = "\
<h1>Connect your Stripe account</h1>
<p>This platform pays out to its sellers through Stripe Connect. Connect a Stripe account to
start receiving payouts.</p>
<div class=\"actions\">
<a class=\"button\" id=\"connect-express\" href=\"/connect/express\">Connect with Stripe (Express)</a>
<a class=\"button secondary\" id=\"connect-standard\" href=\"/connect/standard\">Connect with Stripe (Standard)</a>
</div>
<ol>
<li>The button sends you to Stripe with a fresh random <code>state</code>, which this site
records on the server and ties to your browser with an HttpOnly, SameSite=Lax cookie.</li>
<li>Stripe sends you back to <code>/callback</code> with a single-use authorization code and the
same <code>state</code>.</li>
<li>This site removes its record of the <code>state</code>, checks it against the callback,
exchanges the code once, and shows the connected account.</li>
</ol>";
    layout("Connect with Stripe", stripe, body)
}

/// The account details on the connected page.
#[derive(Debug)]
pub struct ConnectedAccount<'a> {
    /// The connected account id (`acct_…`).
    pub account_id: &'a str,
    /// Whether the account was connected in live mode.
    pub livemode: bool,
    /// The granted scope (`express`, `read_write`, `read_only`).
    pub scope: &'a str,
    /// The capabilities Stripe confirmed.
    pub capabilities: &'a [String],
    /// Whether Stripe sent tokens, which the page mentions but never shows.
    pub has_tokens: bool,
    /// Whether to offer Disconnect (Standard accounts).
    pub can_disconnect: bool,
}

/// Renders the page shown after a successful exchange.
pub fn connected(stripe: &str, account: &ConnectedAccount<'_>) -> String {
    let mode = if account.livemode {
        "live mode"
    } else {
        "test mode"
    };
    let mut body = format!(
        "<h1 id=\"connected\">Stripe account connected</h1>\n<dl>\n\
         <dt>Connected account</dt><dd id=\"account-id\">{}</dd>\n\
         <dt>Mode</dt><dd id=\"mode\">{mode}</dd>\n\
         <dt>Scope</dt><dd id=\"scope\">{}</dd>\n",
        escape(account.account_id),
        escape(account.scope),
    );
    if !account.capabilities.is_empty() {
        body.push_str(&format!(
            "<dt>Capabilities</dt><dd id=\"capabilities\">{}</dd>\n",
            escape(&account.capabilities.join(", "))
        ));
    }
    body.push_str("</dl>\n");

    if account.has_tokens {
        body.push_str(
            "<p class=\"note\">Stripe also returned an access token and a refresh token. \
             This demo neither shows nor keeps them.</p>\n",
        );
    }
    if account.can_disconnect {
        body.push_str(
            "<form method=\"post\" action=\"/disconnect\" class=\"actions\">\
             <button class=\"button danger\" id=\"disconnect\" type=\"submit\">Disconnect \
             this account</button>\
             <a class=\"button secondary\" id=\"home\" href=\"/\">Connect another account</a>\
             </form>\n",
        );
    } else {
        body.push_str(
            "<div class=\"actions\"><a class=\"button secondary\" id=\"home\" href=\"/\">\
             Connect another account</a></div>\n",
        );
    }
    layout("Stripe account connected", stripe, &body)
}

/// Renders the page shown when the user declines on Stripe's page.
pub fn denied(stripe: &str, description: Option<&str>) -> String {
    let said = match description {
        Some(description) => format!("<p>Stripe said: “{}”.</p>\n", escape(description)),
        None => String::new(),
    };
    let body = format!(
        "<h1 id=\"denied\">Connection declined</h1>\n\
         <p>You declined to connect a Stripe account, so nothing was connected.</p>\n{said}\
         <div class=\"actions\"><a class=\"button\" id=\"retry\" href=\"/\">Try again</a></div>"
    );
    layout("Connection declined", stripe, &body)
}

/// Renders a failure page: what went wrong, whether anything reached Stripe, and a way to
/// start again.
pub fn problem(stripe: &str, title: &str, detail: &str, nothing_sent: bool) -> String {
    let sent_note = if nothing_sent {
        "<p class=\"note\" id=\"nothing-sent\">Nothing was sent to Stripe.</p>\n"
    } else {
        ""
    };
    let body = format!(
        "<div class=\"problem\" id=\"error\">\n<h1>{}</h1>\n<p id=\"error-detail\">{}</p>\n\
         {sent_note}</div>\n\
         <div class=\"actions\"><a class=\"button\" id=\"retry\" href=\"/\">Start again</a></div>",
        escape(title),
        escape(detail),
    );
    layout(title, stripe, &body)
}

/// Renders the page shown after Disconnect.
pub fn disconnected(stripe: &str, account_id: &str) -> String {
    let body = format!(
        "<h1 id=\"disconnected\">Account disconnected</h1>\n\
         <p>The platform no longer has access to <code id=\"account-id\">{}</code>. Its \
         refresh tokens are revoked.</p>\n\
         <div class=\"actions\"><a class=\"button\" id=\"home\" href=\"/\">Back to the start\
         </a></div>",
        escape(account_id)
    );
    layout("Account disconnected", stripe, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_characters() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn denied_page_escapes_description() {
        let page = denied("fake", Some("<script>alert(1)</script>"));
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn problem_page_escapes_title_and_detail() {
        let page = problem("fake", "<b>title</b>", "a & b", true);
        assert!(page.contains("&lt;b&gt;title&lt;/b&gt;"));
        assert!(page.contains("a &amp; b"));
        assert!(page.contains("id=\"nothing-sent\""));
    }

    #[test]
    fn connected_page_offers_disconnect_only_when_allowed() {
        let mut account = ConnectedAccount {
            account_id: "acct_1",
            livemode: false,
            scope: "express",
            capabilities: &[],
            has_tokens: false,
            can_disconnect: false,
        };
        assert!(!connected("fake", &account).contains("id=\"disconnect\""));
        account.can_disconnect = true;
        assert!(connected("fake", &account).contains("id=\"disconnect\""));
    }
}
