"""Prompts as data, and settings precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexcli.config import Settings, load_settings
from codexcli.errors import ConfigError
from codexcli.prompts import builtin_prompts_dir, load_prompt, parse_prompt

PROMPT = """
version = 3
system = "You write $language."
user = "Task: $description (costs $$5)"
prefill = "```$fence\\n"
stop = ["\\n```"]
[[examples]]
user = "Task: add"
assistant = "```$fence\\nx\\n```"
"""


def test_render_fills_every_part():
    prompt = parse_prompt("t", PROMPT, "t.toml")
    messages, prefill = prompt.render(language="Python", description="{braces} stay", fence="python")
    assert [m.role for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0].content == "You write Python."
    assert messages[2].content == "```python\nx\n```"
    assert messages[3].content == "Task: {braces} stay (costs $5)"
    assert prefill == "```python\n"
    assert prompt.stop == ("\n```",) and prompt.version == 3 and len(prompt.digest) == 16


def test_missing_placeholder_names_the_prompt_and_variable():
    prompt = parse_prompt("t", PROMPT, "t.toml")
    with pytest.raises(ConfigError, match=r"uses \$description"):
        prompt.render(language="Python", fence="python")


@pytest.mark.parametrize(
    "text, message",
    [
        ("system = 'x'", "missing text field 'user'"),
        ("system = [", "invalid TOML"),
        ("system='a'\nuser='b'\nstop=[1]", "stop"),
    ],
)
def test_malformed_prompt_files(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_prompt("t", text, "t.toml")


def test_builtin_prompts_all_load_and_render():
    names = sorted(p.stem for p in builtin_prompts_dir().glob("*.toml"))
    assert {"generate", "fill"} <= set(names)
    for name in names:
        assert load_prompt(name).user


def test_user_prompts_dir_overrides_builtin(tmp_path: Path):
    (tmp_path / "generate.toml").write_text("system = 'mine'\nuser = 'do $description'\n", encoding="utf-8")
    prompt = load_prompt("generate", tmp_path)
    assert prompt.system == "mine" and prompt.source == str(tmp_path / "generate.toml")
    assert load_prompt("fill", tmp_path).source.endswith("fill.toml")  # falls back to the builtin


def test_unknown_prompt():
    with pytest.raises(ConfigError, match="no prompt named 'nope'"):
        load_prompt("nope")


def test_settings_precedence(tmp_path: Path):
    user_cfg = tmp_path / "user.toml"
    user_cfg.write_text("temperature = 0.1\nmax_tokens = 100\nthreads = 3\nseed = 7\n", encoding="utf-8")
    project = tmp_path / "proj"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        "[tool.codex]\nmax-tokens = 200\nthreads = 4\nprompts_dir = 'my_prompts'\n", encoding="utf-8"
    )
    env = {"CODEX_CONFIG": str(user_cfg), "CODEX_THREADS": "5"}
    settings = load_settings(project / "src", env=env, flags={"seed": 9, "model": None})
    assert settings.temperature == 0.1  # user file
    assert settings.max_tokens == 200  # project beats user
    assert settings.threads == 5  # env beats project
    assert settings.seed == 9  # flag beats everything
    assert settings.prompts_dir == str((project / "my_prompts").resolve())  # relative to its file
    assert settings.sources["threads"] == "environment (CODEX_THREADS)"
    assert settings.model is None and settings.backend == "llamacpp"


@pytest.mark.parametrize(
    "content, message",
    [
        ("threads = 'many'", "threads must be int"),
        ("colour = 1", "unknown setting 'colour'"),
        ("x = [", "invalid TOML"),
        ("temperature = -1", "must not be negative"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, content, message):
    cfg = tmp_path / "c.toml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path, env={"CODEX_CONFIG": str(cfg)})


def test_bad_env_value():
    with pytest.raises(ConfigError, match="CODEX_MAX_TOKENS"):
        load_settings(Path("/"), env={"CODEX_MAX_TOKENS": "lots"})


def test_defaults():
    assert Settings().temperature == 0.0 and Settings().retries == 2
