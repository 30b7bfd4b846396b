import json

import pytest

import framework
from framework.management.requirement import checked_requirement, installed_requirement, local_wheel, with_extra


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Install metadata of the framework, first on sys.path, as pip writes it: with direct_url.json or without."""

    def installed(direct_url: dict | None) -> None:
        info = tmp_path / f"framework-{framework.__version__}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: framework\nVersion: {framework.__version__}\n")
        if direct_url is not None:
            (info / "direct_url.json").write_text(json.dumps(direct_url))
        monkeypatch.syspath_prepend(str(tmp_path))

    return installed


def test_from_an_index_the_project_needs_this_version_or_newer(installed):
    installed(None)

    assert installed_requirement() == f"framework>={framework.__version__}"


@pytest.mark.parametrize(
    ("direct_url", "requirement"),
    [
        # The examples of PEP 610: a wheel file, a checkout (editable or not), a VCS URL, a remote archive.
        ({"url": "file:///home/ann/framework-0.2.0-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "ab"}}},
         "framework @ file:///home/ann/framework-0.2.0-py3-none-any.whl"),
        ({"url": "file:///home/ann/src/framework", "dir_info": {"editable": True}},
         "framework @ file:///home/ann/src/framework"),
        ({"url": "https://git.example.com/framework.git", "vcs_info": {"vcs": "git", "commit_id": "7921be1", "requested_revision": "v0.2"}},
         "framework @ git+https://git.example.com/framework.git@7921be1"),
        ({"url": "https://git.example.com/mono.git", "vcs_info": {"vcs": "git", "commit_id": "7921be1"}, "subdirectory": "framework"},
         "framework @ git+https://git.example.com/mono.git@7921be1#subdirectory=framework"),
        ({"url": "https://files.example.com/framework-0.2.0.tar.gz", "archive_info": {}},
         "framework @ https://files.example.com/framework-0.2.0.tar.gz"),
    ],
)
def test_from_elsewhere_the_project_depends_on_where_pip_took_it(installed, direct_url, requirement):
    installed(direct_url)

    assert installed_requirement() == requirement


def test_local_wheel_is_the_file_a_requirement_installs(tmp_path):
    wheel = tmp_path / "framework-0.2.0-py3-none-any.whl"
    wheel.write_bytes(b"")

    assert local_wheel(f"framework @ {wheel.as_uri()}") == wheel
    assert local_wheel(f"framework @ {(tmp_path / 'gone.whl').as_uri()}") is None
    assert local_wheel(f"framework @ {tmp_path.as_uri()}") is None
    assert local_wheel("framework>=0.2") is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("framework>>0.2", "--framework: 'framework>>0.2' is not a pip requirement"),
        ("django>=5", "--framework: 'django>=5' names 'django', not 'framework'"),
        ('framework @ file:///a"b', "is not a pip requirement"),
    ],
)
def test_a_chosen_requirement_must_be_one_on_the_framework(spec, message):
    with pytest.raises(ValueError, match="^--framework: ") as caught:
        checked_requirement(spec)

    assert message in str(caught.value)


def test_a_chosen_requirement_is_kept_as_given():
    assert checked_requirement(" framework[postgres]>=0.2,<0.3") == "framework[postgres]>=0.2,<0.3"
    assert checked_requirement("framework @ git+https://example.com/f.git@v0.2") == "framework @ git+https://example.com/f.git@v0.2"


@pytest.mark.parametrize(
    ("requirement", "testing"),
    [
        ("framework>=0.2.0", "framework[testing]>=0.2.0"),
        ("framework @ file:///home/ann/framework-0.2.0-py3-none-any.whl", "framework[testing] @ file:///home/ann/framework-0.2.0-py3-none-any.whl"),
        ("framework[postgres]>=0.2", "framework[postgres,testing]>=0.2"),
    ],
)
def test_the_test_tools_come_from_the_same_source(requirement, testing):
    assert with_extra(requirement, "testing") == testing
