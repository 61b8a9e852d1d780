//! The `Client` class: one core client, shared by every thread that uses it.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyString;
use stripe_connect_oauth::{
    AccountId, AuthorizationCode, ClientId, ConnectBase, CredentialScheme, DeauthorizeOptions,
    ExchangeOptions, RefreshOptions, RefreshToken, Scope, SecretKey,
};

use crate::arguments::{self, optional_text, text, text_list};
use crate::authorize::AuthorizeArguments;
use crate::errors::{converter, to_py_err};
use crate::results::TokenResponse;

/// A client for Stripe's Connect OAuth endpoints.
#[pyclass(frozen, module = "stripe_connect_oauth._native")]
pub(crate) struct Client {
    inner: stripe_connect_oauth::Client,
}

fn per_call_key(
    py: Python<'_>,
    secret_key: Option<Bound<'_, PyString>>,
) -> PyResult<Option<SecretKey>> {
    optional_text(secret_key, "secret_key")?
        .map(|key| SecretKey::new(key).map_err(converter(py)))
        .transpose()
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(
        signature = (
            secret_key = None,
            *,
            client_id = None,
            connect_base = None,
            credential_scheme = None,
            timeout = None,
            connect_timeout = None,
            retries = None,
            retry_backoff = None,
        ),
        // PyO3 gives a literal default only to a `&str` parameter, and `credential_scheme` is a
        // `PyString` so that its text is checked like every other. Its default is `None` in
        // Rust, and the signature shows the one that takes effect, "basic".
        text_signature = "(secret_key=None, *, client_id=None, connect_base=None, \
                          credential_scheme=\"basic\", timeout=None, connect_timeout=None, \
                          retries=None, retry_backoff=None)",
    )]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        secret_key: Option<Bound<'_, PyString>>,
        client_id: Option<Bound<'_, PyString>>,
        connect_base: Option<Bound<'_, PyString>>,
        credential_scheme: Option<Bound<'_, PyString>>,
        #[pyo3(from_py_with = arguments::timeout)] timeout: Option<Duration>,
        #[pyo3(from_py_with = arguments::connect_timeout)] connect_timeout: Option<Duration>,
        #[pyo3(from_py_with = arguments::retry_count)] retries: Option<u32>,
        #[pyo3(from_py_with = arguments::retry_backoff)] retry_backoff: Option<Duration>,
    ) -> PyResult<Self> {
        let to_py = converter(py);
        let mut builder = stripe_connect_oauth::Client::builder();

        if let Some(credential_scheme) = optional_text(credential_scheme, "credential_scheme")? {
            builder = builder
                .credential_scheme(CredentialScheme::parse(&credential_scheme).map_err(&to_py)?);
        }
        if let Some(secret_key) = optional_text(secret_key, "secret_key")? {
            builder = builder.secret_key(SecretKey::new(secret_key).map_err(&to_py)?);
        }
        if let Some(client_id) = optional_text(client_id, "client_id")? {
            builder = builder.client_id(ClientId::new(client_id).map_err(&to_py)?);
        }
        if let Some(connect_base) = optional_text(connect_base, "connect_base")? {
            builder = builder.connect_base(ConnectBase::new(&connect_base).map_err(&to_py)?);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(connect_timeout) = connect_timeout {
            builder = builder.connect_timeout(connect_timeout);
        }
        if let Some(retries) = retries {
            builder = builder.retries(retries);
        }
        if let Some(retry_backoff) = retry_backoff {
            builder = builder.retry_backoff(retry_backoff);
        }

        Ok(Self {
            inner: builder.build().map_err(converter(py))?,
        })
    }

    /// The origin of the OAuth endpoints.
    #[getter]
    fn connect_base(&self) -> &str {
        self.inner.config().get_connect_base().as_str()
    }

    /// The platform's client id, if configured.
    #[getter]
    fn client_id(&self) -> Option<&str> {
        self.inner.config().get_client_id().map(ClientId::as_str)
    }

    /// Builds the authorize URL ("Connect with Stripe" link).
    #[pyo3(signature = (
        *,
        express = false,
        redirect_uri = None,
        state = None,
        scope = None,
        stripe_landing = None,
        always_prompt = None,
        stripe_user = None,
        suggested_capabilities = None,
        extra = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn authorize_url<'py>(
        &self,
        py: Python<'py>,
        express: bool,
        redirect_uri: Option<Bound<'py, PyString>>,
        state: Option<Bound<'py, PyString>>,
        scope: Option<Bound<'py, PyString>>,
        stripe_landing: Option<Bound<'py, PyString>>,
        always_prompt: Option<bool>,
        stripe_user: Option<Bound<'py, PyAny>>,
        suggested_capabilities: Option<Vec<Bound<'py, PyString>>>,
        extra: Option<Bound<'py, PyAny>>,
    ) -> PyResult<String> {
        let params = AuthorizeArguments {
            express,
            redirect_uri,
            state,
            scope,
            stripe_landing,
            always_prompt,
            stripe_user,
            suggested_capabilities,
            extra,
        }
        .into_params(py)?;
        self.inner.authorize_url(&params).map_err(converter(py))
    }

    /// Exchanges a single-use authorization code for the connected account.
    #[pyo3(signature = (code, *, assert_capabilities = None, secret_key = None))]
    fn exchange_code(
        &self,
        py: Python<'_>,
        code: Bound<'_, PyString>,
        assert_capabilities: Option<Vec<Bound<'_, PyString>>>,
        secret_key: Option<Bound<'_, PyString>>,
    ) -> PyResult<TokenResponse> {
        let code = AuthorizationCode::new(text(&code, "code")?).map_err(converter(py))?;
        let mut options = ExchangeOptions::new();
        for capability in text_list(assert_capabilities, "assert_capabilities")? {
            options = options.assert_capability(capability);
        }
        if let Some(key) = per_call_key(py, secret_key)? {
            options = options.secret_key(key);
        }

        let outcome = py.detach(|| self.inner.exchange_code(&code, &options));

        outcome
            .map(TokenResponse::from)
            .map_err(|error| to_py_err(py, error))
    }

    /// Obtains a new access token with a refresh token.
    #[pyo3(signature = (refresh_token, *, scope = None, secret_key = None))]
    fn refresh(
        &self,
        py: Python<'_>,
        refresh_token: Bound<'_, PyString>,
        scope: Option<Bound<'_, PyString>>,
        secret_key: Option<Bound<'_, PyString>>,
    ) -> PyResult<TokenResponse> {
        let refresh_token =
            RefreshToken::new(text(&refresh_token, "refresh_token")?).map_err(converter(py))?;
        let mut options = RefreshOptions::new();
        if let Some(scope) = optional_text(scope, "scope")? {
            options = options.scope(Scope::parse(&scope).map_err(converter(py))?);
        }
        if let Some(key) = per_call_key(py, secret_key)? {
            options = options.secret_key(key);
        }

        let outcome = py.detach(|| self.inner.refresh(&refresh_token, &options));

        outcome
            .map(TokenResponse::from)
            .map_err(|error| to_py_err(py, error))
    }

    /// Disconnects a connected account from the platform and returns its id.
    #[pyo3(signature = (stripe_user_id, *, secret_key = None))]
    fn deauthorize(
        &self,
        py: Python<'_>,
        stripe_user_id: Bound<'_, PyString>,
        secret_key: Option<Bound<'_, PyString>>,
    ) -> PyResult<String> {
        let account_id =
            AccountId::new(text(&stripe_user_id, "stripe_user_id")?).map_err(converter(py))?;
        let mut options = DeauthorizeOptions::new();
        if let Some(key) = per_call_key(py, secret_key)? {
            options = options.secret_key(key);
        }

        let outcome = py.detach(|| self.inner.deauthorize(&account_id, &options));

        outcome
            .map(|account_id| account_id.as_str().to_owned())
            .map_err(|error| to_py_err(py, error))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let connect_base = PyString::new(py, self.connect_base()).repr()?;
        let client_id = match self.client_id() {
            Some(client_id) => PyString::new(py, client_id).repr()?.to_string(),
            None => "None".to_owned(),
        };
        Ok(format!(
            "Client(connect_base={connect_base}, client_id={client_id})"
        ))
    }
}
