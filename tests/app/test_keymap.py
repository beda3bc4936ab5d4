"""Keys of your own: ``[keymap]`` in the config file moves any binding by its id."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from aria2_top.config.settings import CliOptions, resolve_settings
from aria2_top.ui.keymap import binding_ids, check_keymap
from aria2_top.ui.keys import KEYS, help_lines, key_display, shown_keys


def test_every_binding_of_the_app_has_an_id() -> None:
    """What a keymap can move: nothing is left without an id."""
    ids = binding_ids()
    assert {"aria2-top.pause", "aria2-top.details.close", "aria2-top.files.select"} <= ids
    assert {"aria2-top.options.down-limit", "aria2-top.remove-dialog.delete"} <= ids
    assert "aria2-top.input.delete-left-all" in ids, "the text fields' keys too"

    def classes(cls: type) -> set[type]:
        found = {cls}
        subclasses: list[type] = cls.__subclasses__()
        for sub in subclasses:
            found |= classes(sub)
        return found

    ours = [c for c in classes(DOMNode) if c.__module__.startswith("aria2_top.")]
    assert len(ours) > 20
    for cls in ours:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                assert binding.id and binding.id.startswith("aria2-top."), (cls, binding)


def test_a_keymap_is_checked_names_without_the_prefix_and_bad_entries_said() -> None:
    keymap, problems = check_keymap(
        {"pause": "z", "aria2-top.quit": "ctrl+q", "files.select": "x, space", "paws": "y"}
    )
    assert keymap == {
        "aria2-top.pause": "z",
        "aria2-top.quit": "ctrl+q",
        "aria2-top.files.select": "x,space",
    }
    assert problems == ["keymap: 'paws' names no key of aria2-top: left out"]
    _, problems = check_keymap({"pause": "", "remove": "ctrl+x y"})
    assert len(problems) == 2 and all("is not a list of keys" in p for p in problems)
    _, problems = check_keymap({"files.apply-all": "x"})
    assert "did you mean" not in problems[0]
    _, problems = check_keymap({"pane.close": "x"})
    assert "did you mean" in problems[0] and "details.close" in problems[0]


def test_the_config_files_keymap_table_dotted_names_and_wrong_types(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\npause = "z"\nfiles.select = "x"\nremove = 5\n')
    settings = resolve_settings(CliOptions(config_path=config), env={})
    assert dict(settings.keymap) == {"pause": "z", "files.select": "x"}
    assert any("remove" in w and "in quotes" in w for w in settings.warnings)


def test_help_shows_the_moved_keys_where_they_went() -> None:
    keymap = {"aria2-top.pause": "z", "aria2-top.down": "ctrl+n"}
    lines = {words: keys for _, keys, words in help_lines(keymap)}
    pause = next(words for words in lines if words.startswith("Pause"))
    assert lines[pause] == "z"
    assert lines["Move down"] == "Ctrl+N", "its pair with k is split up"
    assert key_display("ctrl+x,f5,pageup,question_mark") == "Ctrl+X F5 PgUp QUESTION_MARK"
    pause_spec = next(spec for spec in KEYS if spec.name == "pause")
    assert shown_keys(pause_spec, keymap) == "z", "as the palette shows it"
    assert shown_keys(pause_spec, {}) == (pause_spec.shown_keys or pause_spec.keys)


def test_a_key_moved_onto_another_commands_key_is_said() -> None:
    keymap, problems = check_keymap({"pause": "j"})
    assert keymap == {"aria2-top.pause": "j"}
    assert problems == ["keymap: pause = 'j', but j is also down's key: move one of them"]
    assert check_keymap({"pause": "j", "down": "ctrl+n"})[1] == [], "down moved away: fine"
