"""Settings precedence: command line > environment > config file."""

from __future__ import annotations

from pathlib import Path

import pytest

from aria2_top.config import DEFAULT_INTERVAL, CliOptions, ConfigError, resolve_settings


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_precedence(tmp_path: Path) -> None:
    conf = _write(
        tmp_path / "c.toml",
        'rpc_url = "http://file:6800/jsonrpc"\nsecret = "file-secret"\ninterval = 3\n',
    )
    env = {"ARIA2_RPC_URL": "http://env:6800/jsonrpc", "ARIA2_RPC_SECRET": "env-secret"}
    only_file = resolve_settings(CliOptions(config_path=conf), env={})
    assert (only_file.rpc_url, only_file.secret, only_file.interval) == (
        "http://file:6800/jsonrpc",
        "file-secret",
        3.0,
    )
    with_env = resolve_settings(CliOptions(config_path=conf), env=env)
    assert (with_env.rpc_url, with_env.secret) == ("http://env:6800/jsonrpc", "env-secret")
    with_cli = resolve_settings(
        CliOptions(rpc_url="http://cli:1/jsonrpc", secret="cli", interval=0.5, config_path=conf),
        env=env,
    )
    assert (with_cli.rpc_url, with_cli.secret, with_cli.interval) == (
        "http://cli:1/jsonrpc",
        "cli",
        0.5,
    )


def test_defaults_without_file(tmp_path: Path) -> None:
    settings = resolve_settings(CliOptions(config_path=tmp_path / "none.toml"), env={})
    assert settings.rpc_url is None and settings.secret is None
    assert settings.interval == DEFAULT_INTERVAL
    assert settings.warnings == ()


def test_secret_never_in_repr(tmp_path: Path) -> None:
    settings = resolve_settings(
        CliOptions(secret="hunter2", config_path=tmp_path / "x.toml"), env={}
    )
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in repr(CliOptions(secret="hunter2"))


def test_warns_when_secret_file_is_readable_by_others(tmp_path: Path) -> None:
    conf = _write(tmp_path / "c.toml", 'secret = "s"\n', mode=0o644)
    warnings = resolve_settings(CliOptions(config_path=conf), env={}).warnings
    assert len(warnings) == 1 and "chmod 600" in warnings[0]
    assert 's"' not in warnings[0]
    conf.chmod(0o600)
    assert resolve_settings(CliOptions(config_path=conf), env={}).warnings == ()
    no_secret = _write(tmp_path / "d.toml", "interval = 2\n", mode=0o644)
    assert resolve_settings(CliOptions(config_path=no_secret), env={}).warnings == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rpc_url = ", "not valid TOML"),
        ("interval = 'fast'", "interval .* must be a float"),
        ("interval = -1", "positive"),
        ("secret = 5", "secret .* must be a str"),
    ],
)
def test_bad_config_is_explained(tmp_path: Path, text: str, message: str) -> None:
    conf = _write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError, match=message):
        resolve_settings(CliOptions(config_path=conf), env={})


def test_download_dir_from_file(tmp_path: Path) -> None:
    conf = _write(tmp_path / "c.toml", f'download_dir = "{tmp_path}/dl"\n')
    assert resolve_settings(CliOptions(config_path=conf), env={}).download_dir == tmp_path / "dl"
