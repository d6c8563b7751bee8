"""A small client for NVUE's REST API (Cumulus Linux 5.x, ``https://<switch>:8765/nvue_v1``).

What it relies on, all from NVIDIA's Cumulus Linux 5.9 user guide, "NVUE API" page
(docs.nvidia.com/networking-ethernet-software/cumulus-linux-59/System-Configuration/
NVIDIA-User-Experience-NVUE/NVUE-API/):

- HTTP basic authentication with the switch's user accounts; HTTPS with the switch's certificate;
- ``POST /nvue_v1/revision`` creates a revision (answer: ``{"<id>": {"state": "pending", ...}}``);
- ``GET /nvue_v1/?rev=<rev>&filled=false`` reads a revision's config (``applied``, ``startup`` or an id);
- ``DELETE /nvue_v1/?rev=<id>`` clears the revision's whole config, then ``PATCH /nvue_v1/?rev=<id>`` with
  the new tree ("Replace an Entire Configuration"), so a key absent from the new tree is removed;
- ``PATCH /nvue_v1/revision/<id>`` with ``{"state": "apply", "auto-prompt": {"ays": "ays_yes"}}`` applies,
  and ``GET /nvue_v1/revision/<id>`` is polled until ``applied`` (or ``invalid``/``ays_fail``/... with the
  reasons under ``transition.issue``);
- ``PATCH /nvue_v1/revision/applied`` with ``{"state": "save", ...}`` writes the startup file.

Revision ids contain slashes (``changeset/cumulus/2023-04-06_20.22.44_T2XP``) and are URL-quoted whole.
The client never logs request bodies or headers, and its errors carry no credential.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from netweave.errors import NetweaveError

API_ROOT = "/nvue_v1"
DEFAULT_PORT = 8765


class NvueError(NetweaveError):
    """The API answered with an error status; `status` is the HTTP code (0 when nothing answered)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def _problem(response: Any) -> str:
    """The useful text of an error answer: NVUE's JSON `detail`/`title`, else the raw body (shortened)."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or "").strip()[:300]
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("title", "detail") if body.get(k)]
        if parts:
            return ": ".join(parts)
    return str(body)[:300]


class NvueClient:
    """One authenticated HTTPS session to one switch's NVUE API."""

    def __init__(
        self,
        host: str,
        username: str,
        password: str,
        *,
        port: int = DEFAULT_PORT,
        verify: bool | str = True,
        timeout: float = 60.0,
    ) -> None:
        import requests

        self.base = f"https://{host}:{port}{API_ROOT}"
        self.timeout = timeout
        self._session = requests.Session()
        self._session.auth = (username, password)
        self._session.verify = verify
        self._session.headers.update({"Accept": "application/json"})
        self._session.trust_env = False  # a proxy from the environment must not see the switch's credentials

    def close(self) -> None:
        self._session.close()

    def request(self, method: str, path: str, *, params: dict[str, str] | None = None, body: Any = None) -> Any:
        """One API call; the decoded JSON answer (``{}`` for an empty one). Raises `NvueError`."""
        import requests

        try:
            response = self._session.request(
                method, self.base + path, params=params, json=body, timeout=(min(10.0, self.timeout), self.timeout)
            )
        except requests.exceptions.SSLError as exc:
            raise NvueError(f"TLS error talking to {self.base}: {type(exc).__name__}") from None
        except requests.exceptions.RequestException as exc:
            raise NvueError(f"cannot reach {self.base}: {type(exc).__name__}") from None
        except OSError as exc:  # e.g. ca_file does not exist (requests raises a plain OSError)
            raise NvueError(f"cannot talk to {self.base}: {exc}") from None
        if response.status_code in (401, 403):
            raise NvueError(
                f"{method} {path}: HTTP {response.status_code}, login refused ({_problem(response)})",
                response.status_code,
            )
        if response.status_code >= 400:
            raise NvueError(f"{method} {path}: HTTP {response.status_code}: {_problem(response)}", response.status_code)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise NvueError(f"{method} {path}: answer is not JSON", response.status_code) from None

    # ------------------------------------------------------------------ revisions

    @staticmethod
    def rev_path(revision: str) -> str:
        return f"/revision/{quote(revision, safe='')}"

    def create_revision(self) -> str:
        answer = self.request("POST", "/revision")
        if not isinstance(answer, dict) or len(answer) != 1:
            raise NvueError(f"POST /revision: unexpected answer {str(answer)[:200]}")
        return str(next(iter(answer)))

    def revision_state(self, revision: str) -> tuple[str, list[str]]:
        """(state, issue messages) of a revision. The guide shows the answer both bare and wrapped
        in ``{"<id>": {...}}``; both are accepted."""
        answer = self.request("GET", self.rev_path(revision))
        if isinstance(answer, dict) and "state" not in answer and len(answer) == 1:
            answer = next(iter(answer.values()))
        if not isinstance(answer, dict):
            raise NvueError(f"GET revision {revision}: unexpected answer {str(answer)[:200]}")
        transition = answer.get("transition") or {}
        issues = transition.get("issue") or {}
        messages = [
            str(issue.get("message") or issue.get("code") or issue)
            for _, issue in sorted(issues.items(), key=lambda item: str(item[0]))
            if isinstance(issue, dict)
        ]
        return str(answer.get("state", "")), messages

    def revisions(self) -> dict[str, str]:
        """Every revision the switch knows, with its state."""
        answer = self.request("GET", "/revision")
        if not isinstance(answer, dict):
            return {}
        return {str(k): str(v.get("state", "")) for k, v in answer.items() if isinstance(v, dict)}

    def set_state(self, revision: str, body: dict[str, Any]) -> None:
        self.request("PATCH", self.rev_path(revision), body=body)

    def tree(self, revision: str) -> dict[str, Any]:
        """A revision's configuration (``applied``, ``startup`` or an id), without defaults filled in."""
        answer = self.request("GET", "/", params={"rev": revision, "filled": "false"})
        return answer if isinstance(answer, dict) else {}

    def replace_tree(self, revision: str, tree: dict[str, Any]) -> None:
        """Make `tree` the revision's whole config: clear the root, then patch the root with the tree."""
        self.request("DELETE", "/", params={"rev": revision})
        if tree:
            self.request("PATCH", "/", params={"rev": revision}, body=tree)

    def patch_tree(self, revision: str, tree: dict[str, Any]) -> None:
        self.request("PATCH", "/", params={"rev": revision}, body=tree)

    def show(self, path: str) -> Any:
        """Operational state at `path` (``nv show``)."""
        return self.request("GET", path)
