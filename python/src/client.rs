//! The `Client` class: one core client, shared by every thread that uses it.

use std::time::Duration;

use pyo3::prelude::*;
use stripe_connect_oauth::{
    AccountId, AuthorizationCode, ClientId, ConnectBase, CredentialScheme, DeauthorizeOptions,
    ExchangeOptions, RefreshOptions, RefreshToken, Scope, SecretKey,
};

use crate::authorize::AuthorizeArguments;
use crate::errors::{converter, invalid_argument, to_py_err};
use crate::results::TokenResponse;

/// A client for Stripe's Connect OAuth endpoints.
#[pyclass(frozen, module = "stripe_connect_oauth._native")]
pub(crate) struct Client {
    inner: stripe_connect_oauth::Client,
}

fn duration(py: Python<'_>, parameter: &'static str, seconds: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(seconds).map_err(|_| {
        invalid_argument(
            py,
            parameter,
            format!("the {parameter} must be a finite, non-negative number of seconds"),
        )
    })
}

fn per_call_key(py: Python<'_>, secret_key: Option<String>) -> PyResult<Option<SecretKey>> {
    secret_key
        .map(|key| SecretKey::new(key).map_err(converter(py)))
        .transpose()
}

#[pymethods]
impl Client {
    #[new]
    #[pyo3(signature = (
        secret_key = None,
        *,
        client_id = None,
        connect_base = None,
        credential_scheme = "basic",
        timeout = None,
        connect_timeout = None,
        retries = None,
        retry_backoff = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        secret_key: Option<String>,
        client_id: Option<String>,
        connect_base: Option<String>,
        credential_scheme: &str,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        retries: Option<u32>,
        retry_backoff: Option<f64>,
    ) -> PyResult<Self> {
        let to_py = converter(py);
        let mut builder = stripe_connect_oauth::Client::builder()
            .credential_scheme(CredentialScheme::parse(credential_scheme).map_err(converter(py))?);

        if let Some(secret_key) = secret_key {
            builder = builder.secret_key(SecretKey::new(secret_key).map_err(&to_py)?);
        }
        if let Some(client_id) = client_id {
            builder = builder.client_id(ClientId::new(client_id).map_err(&to_py)?);
        }
        if let Some(connect_base) = connect_base {
            builder = builder.connect_base(ConnectBase::new(&connect_base).map_err(&to_py)?);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(duration(py, "timeout", timeout)?);
        }
        if let Some(connect_timeout) = connect_timeout {
            builder = builder.connect_timeout(duration(py, "connect_timeout", connect_timeout)?);
        }
        if let Some(retries) = retries {
            builder = builder.retries(retries);
        }
        if let Some(retry_backoff) = retry_backoff {
            builder = builder.retry_backoff(duration(py, "retry_backoff", retry_backoff)?);
        }

        Ok(Self {
            inner: builder.build(),
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
        redirect_uri: Option<String>,
        state: Option<String>,
        scope: Option<String>,
        stripe_landing: Option<String>,
        always_prompt: Option<bool>,
        stripe_user: Option<Bound<'py, PyAny>>,
        suggested_capabilities: Option<Vec<String>>,
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
        code: String,
        assert_capabilities: Option<Vec<String>>,
        secret_key: Option<String>,
    ) -> PyResult<TokenResponse> {
        let code = AuthorizationCode::new(code).map_err(converter(py))?;
        let mut options = ExchangeOptions::new();
        for capability in assert_capabilities.into_iter().flatten() {
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
        refresh_token: String,
        scope: Option<String>,
        secret_key: Option<String>,
    ) -> PyResult<TokenResponse> {
        let refresh_token = RefreshToken::new(refresh_token).map_err(converter(py))?;
        let mut options = RefreshOptions::new();
        if let Some(scope) = scope {
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
        stripe_user_id: String,
        secret_key: Option<String>,
    ) -> PyResult<String> {
        let account_id = AccountId::new(stripe_user_id).map_err(converter(py))?;
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
        use pyo3::types::PyString;

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
