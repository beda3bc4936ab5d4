"""Settings precedence: command line > environment > config file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aria2_top.cli.config import config_main
from aria2_top.config.daemons import DaemonConfig, named_url
from aria2_top.config.errors import ConfigError
from aria2_top.config.keys import SETTINGS, Setting, settings_table
from aria2_top.config.settings import (
    DEFAULT_INTERVAL,
    ENV_RPC_URL,
    CliOptions,
    resolve_settings,
)

REGENERATE = "python -m aria2_top.config.keys"


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
        (b"interval = 2 # \xff\xfe", "is not UTF-8 text (byte 16 cannot be read)"),
    ],
)
def test_an_unreadable_config_is_explained(tmp_path: Path, text: str | bytes, message: str) -> None:
    conf = tmp_path / "c.toml"
    conf.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ConfigError, match=re.escape(message)):
        resolve_settings(CliOptions(config_path=conf), env={})


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("interval = 'fast'", "interval = 'fast' must be a number: 1.0 is used"),
        ("interval = -1", "interval = -1 must be 0.1 to 3,600 seconds: 1.0 is used"),
        ("interval = 1e-9", "interval = 1e-09 must be 0.1 to 3,600 seconds: 1.0 is used"),
        ("interval = nan", "interval = nan must be a finite number (0.1 to 3,600 seconds)"),
        ("timeout = inf", "timeout = inf must be a finite number (1 to 600 seconds)"),
        ("resync = -inf", "resync = -inf must be a finite number"),
        ("secret = 5", "secret = (hidden) must be text in quotes: none is used"),
        (
            "max_reply_mib = 9223372036854775807",
            "max_reply_mib = 9223372036854775807 must be 1 to 4,096 MiB: 128 is used",
        ),
        ("max_reply_mib = 2.5", "max_reply_mib = 2.5 must be a whole number: 128 is used"),
        ("bell = 1", "bell = 1 must be true or false: False is used"),
        ("history_max = 0", "history_max = 0 must be 1,000 to 100,000,000 records"),
    ],
)
def test_a_bad_value_is_a_warning_and_the_default(tmp_path: Path, text: str, warning: str) -> None:
    conf = _write(tmp_path / "c.toml", text)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert any(warning in said for said in settings.warnings), settings.warnings
    assert all(said.startswith(f"{conf}: ") for said in settings.warnings)


HOSTILE_VALUES = ["'text'", "nan", "inf", "-inf", "0", "-1", "1e308", "9223372036854775807"]
HOSTILE_VALUES += ["true", "[1, 2]", "{ a = 1 }", "1979-05-27T07:32:00Z", "''"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_key_survives_every_hostile_value(
    tmp_path: Path, setting: Setting, value: str
) -> None:
    conf = _write(tmp_path / "c.toml", f"{setting.name} = {value}\n")
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    kept = getattr(settings, setting.name, None)
    if settings.warnings and setting.name != "ca_file":
        assert f"{setting.name} = " in settings.warnings[0]
    if setting.kind in (int, float) and kept is not None:
        assert setting.low is None or setting.low <= kept <= (setting.high or kept)
    assert len(settings.warnings) <= 2


def test_the_command_line_interval_is_checked(tmp_path: Path) -> None:
    none = tmp_path / "none.toml"
    for bad in (1e-9, float("nan"), float("inf"), 0.0, 7200.0):
        with pytest.raises(ConfigError, match=r"--interval .* must be"):
            resolve_settings(CliOptions(interval=bad, config_path=none), env={})
    assert resolve_settings(CliOptions(interval=0.1, config_path=none), env={}).interval == 0.1


def test_a_missing_ca_file_is_one_line(tmp_path: Path) -> None:
    conf = _write(tmp_path / "c.toml", 'ca_file = "/nonexistent/ca.pem"\n')
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert settings.ca_file is None
    assert settings.warnings == (
        f"ca_file in {conf}: '/nonexistent/ca.pem' is not a file: the system's CA "
        "certificates are used",
    )
    said = re.escape("--ca-file: '/nonexistent/ca.pem' is not a file")
    with pytest.raises(ConfigError, match=said):
        resolve_settings(CliOptions(ca_file="/nonexistent/ca.pem", config_path=conf), env={})


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
    ("text", "warning"),
    [
        ('[[daemons]]\nname = "a"\n', "needs a name and an rpc_url: left out"),
        ('[[daemons]]\nname = "bad name"\nrpc_url = "http://x/j"\n', "not usable"),
        ('[[daemons]]\nname = "\\u001b[2J"\nrpc_url = "http://x/j"\n', "not usable"),
        ('[[daemons]]\nname = "a"\nrpc_url = 5\n', "rpc_url must be text in quotes"),
        ('[[daemons]]\nname = "a"\nrpc_url = "ftp://x/j"\n', "not an http:// or https://"),
        ('[[daemons]]\nname = "a"\nrpc_url = "http://x/j"\n' * 2, "used twice"),
        ('daemons = "nas"\n', "must be [[daemons]] tables: left out"),
    ],
)
def test_a_bad_daemon_is_a_warning_and_left_out(tmp_path: Path, text: str, warning: str) -> None:
    good = '[[daemons]]\nname = "good"\nrpc_url = "http://good:6800/jsonrpc"\n'
    conf = _fleet(tmp_path, text if text.startswith("daemons =") else good + text)
    settings = resolve_settings(CliOptions(config_path=conf), env={})
    assert any(warning in said for said in settings.warnings), settings.warnings
    assert "\x1b" not in " ".join(settings.warnings)
    if not text.startswith("daemons ="):
        assert settings.daemons[0].name == "good", "the others run"


def test_unknown_keys_are_named_with_the_nearest(tmp_path: Path) -> None:
    conf = _write(
        tmp_path / "c.toml",
        "intreval = 2\nnotfy = true\nzzz = 1\n[tabel]\ncolumns = []\n"
        '[table]\nsrot = "size"\n[[daemons]]\nname = "a"\nrpc_url = "http://a/j"\nsceret = "x"\n',
    )
    warnings = resolve_settings(CliOptions(config_path=conf), env={}).warnings
    assert f"{conf}: unknown key 'intreval' (did you mean 'interval'?): left out" in warnings
    assert f"{conf}: unknown key 'notfy' (did you mean 'notify'?): left out" in warnings
    assert f"{conf}: unknown key 'zzz': left out" in warnings
    assert f"{conf}: unknown key 'tabel' (did you mean 'table'?): left out" in warnings
    assert f"{conf}: [table]: unknown key 'srot' (did you mean 'sort'?): left out" in warnings
    assert (
        f"{conf}: [[daemons]] number 1: unknown key 'sceret' (did you mean 'secret'?): left out"
        in warnings
    )


def test_where_each_setting_came_from(tmp_path: Path) -> None:
    conf = _write(tmp_path / "c.toml", 'timeout = 20\nsecret = "s"\n')
    settings = resolve_settings(
        CliOptions(interval=2.0, config_path=conf), env={ENV_RPC_URL: "http://e:1/j"}
    )
    sources = settings.sources
    assert sources["interval"] == "command line"
    assert sources["rpc_url"] == f"environment ({ENV_RPC_URL})"
    assert sources["timeout"] == "config file" and sources["secret"] == "config file"
    assert sources["resync"] == "default"


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


def test_the_config_verb_says_every_setting_and_where_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = _write(
        tmp_path / "c.toml",
        'intreval = 2\nsecret = "hush-hush"\ntimeout = nan\n[[daemons]]\nname = "nas"\n'
        'rpc_url = "http://user:pw@nas:6800/jsonrpc"\nsecret = "s3cret"\n',
    )
    assert config_main(["--config", str(conf), "--interval", "2"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert lines["interval"].endswith("command line") and " 2.0 " in lines["interval"]
    assert lines["timeout"].endswith("default"), "a value not used is not the file's"
    assert lines["secret"].split()[1:] == ["(set)", "config", "file"]
    assert "hush-hush" not in out and "s3cret" not in out and "user:pw" not in out
    assert "unknown key 'intreval' (did you mean 'interval'?)" in out
    assert "[[daemons]]     nas http://••••@nas:6800/jsonrpc (secret set)" in out
    conf.write_text("interval = \n")
    assert config_main(["--config", str(conf)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid TOML" in err


def test_the_readme_shows_every_key() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "README's settings table is stale: " + REGENERATE
