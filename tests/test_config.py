"""Settings precedence: command line > environment > config file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aria2_top.config import (
    DEFAULT_INTERVAL,
    ENV_RPC_URL,
    CliOptions,
    ConfigError,
    DaemonConfig,
    named_url,
    resolve_settings,
)


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


FLEET = """
[[daemons]]
name = "nas"
rpc_url = "https://nas.lan:6800/jsonrpc"
secret_env = "NAS_SECRET"
ca_file = "/etc/nas-ca.pem"

[[daemons]]
name = "seedbox"
rpc_url = "http://seedbox:6800/jsonrpc"
secret = "s3cret-b0x"
"""


def _fleet(tmp_path: Path, text: str = FLEET) -> Path:
    conf = tmp_path / "config.toml"
    conf.write_text(text)
    conf.chmod(0o600)
    return conf


def test_daemons_from_the_config_file(tmp_path: Path) -> None:
    conf = _fleet(tmp_path)
    settings = resolve_settings(CliOptions(config_path=conf), env={"NAS_SECRET": "n4s"})
    assert settings.rpc_url is None
    assert settings.daemons == (
        DaemonConfig("nas", "https://nas.lan:6800/jsonrpc", "n4s", "/etc/nas-ca.pem"),
        DaemonConfig("seedbox", "http://seedbox:6800/jsonrpc", "s3cret-b0x"),
    )
    assert "n4s" not in repr(settings) and "s3cret-b0x" not in repr(settings)
    unset = resolve_settings(CliOptions(config_path=conf), env={})
    assert unset.daemons[0].secret is None
    assert any("NAS_SECRET is not set" in w for w in unset.warnings)


def test_daemon_option_picks_some_of_them(tmp_path: Path) -> None:
    conf = _fleet(tmp_path)
    one = resolve_settings(CliOptions(config_path=conf, daemons=("SEEDBOX",)), env={})
    assert [d.name for d in one.daemons] == ["seedbox"]
    both = resolve_settings(CliOptions(config_path=conf, daemons=("seedbox,nas",)), env={})
    assert [d.name for d in both.daemons] == ["nas", "seedbox"]  # the file's order
    with pytest.raises(ConfigError, match=r"no daemon named 'laptop' \(there are: nas, seedbox\)"):
        resolve_settings(CliOptions(config_path=conf, daemons=("laptop",)), env={})
    with pytest.raises(ConfigError, match="none is there"):
        resolve_settings(CliOptions(config_path=tmp_path / "none.toml", daemons=("x",)), env={})


def test_rpc_url_repeated_with_names(tmp_path: Path) -> None:
    conf = _fleet(tmp_path)
    cli = CliOptions(
        config_path=conf,
        rpc_urls=("seedbox=http://10.0.0.2:6800/jsonrpc", "http://10.0.0.3:6801/jsonrpc"),
    )
    settings = resolve_settings(cli, env={})
    assert settings.daemons == (
        DaemonConfig("seedbox", "http://10.0.0.2:6800/jsonrpc", "s3cret-b0x"),  # the file's secret
        DaemonConfig("10.0.0.3:6801", "http://10.0.0.3:6801/jsonrpc", None),
    )
    single = resolve_settings(CliOptions(config_path=conf, rpc_urls=("http://x:1/j",)), env={})
    assert single.rpc_url == "http://x:1/j" and single.daemons == ()
    from_env = resolve_settings(CliOptions(config_path=conf), env={ENV_RPC_URL: "http://e:2/j"})
    assert from_env.rpc_url == "http://e:2/j" and from_env.daemons == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nas=http://nas:6800/jsonrpc", ("nas", "http://nas:6800/jsonrpc")),
        ("http://h:6800/jsonrpc?a=b", (None, "http://h:6800/jsonrpc?a=b")),
        ("http://user:p=w@h/jsonrpc", (None, "http://user:p=w@h/jsonrpc")),
    ],
)
def test_named_url(text: str, expected: tuple[str | None, str]) -> None:
    assert named_url(text) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[daemons]]\nname = "a"\n', "needs a name and an rpc_url"),
        ('[[daemons]]\nname = "bad name"\nrpc_url = "http://x/j"\n', "not usable"),
        ('[[daemons]]\nname = "\\u001b[2J"\nrpc_url = "http://x/j"\n', "not usable"),
        ('[[daemons]]\nname = "a"\nrpc_url = "http://x/j"\n' * 2, "used twice"),
        ('daemons = "nas"\n', "must be [[daemons]] tables"),
    ],
)
def test_bad_daemons_are_refused_in_words(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(error)):
        resolve_settings(CliOptions(config_path=_fleet(tmp_path, text)), env={})


def test_rpc_url_and_daemons_together_warn(tmp_path: Path) -> None:
    conf = _fleet(tmp_path, 'rpc_url = "http://old:6800/jsonrpc"\n' + FLEET)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert len(settings.daemons) == 2 and settings.rpc_url is None
    assert any("rpc_url is ignored" in w for w in settings.warnings)
    conf.chmod(0o644)
    warnings = resolve_settings(CliOptions(config_path=conf), env={}).warnings
    assert any("chmod 600" in w for w in warnings), "a daemon's secret is in the file"


@pytest.mark.parametrize(
    ("urls", "error"),
    [
        (("a=127.0.0.1:6800", "b=http://h:1/j"), "is not an http:// or https:// address"),
        (("=http://h:1/j", "b=http://h:2/j"), "the name before = is empty"),
        (("nas=http://h:1/j", "NAS=http://h:2/j"), "are the same (case is ignored)"),
        (("n" * 40 + "=http://h:1/j", "b=http://h:2/j"), "…' in --rpc-url is not usable"),
    ],
)
def test_bad_rpc_urls_are_refused_in_words(
    tmp_path: Path, urls: tuple[str, ...], error: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(error)):
        resolve_settings(CliOptions(config_path=tmp_path / "none.toml", rpc_urls=urls), env={})
