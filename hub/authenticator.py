"""Sign-in for the workshop hub: one shared workshop password, one system account per learner.

`ClassroomAuthenticator` is JupyterHub's SharedPasswordAuthenticator (the password) combined with
its LocalAuthenticator (a Unix account per learner, created with `useradd` at first sign-in).
A learner who types "Ada" is the hub user and Unix user `pl-ada`, whose home is mode 0700, so
another learner's terminal or kernel cannot read it; JupyterHub's per-user tokens keep the other
learner's requests out of that server.
"""

from __future__ import annotations

import os
import pwd

from jupyterhub.auth import LocalAuthenticator
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
from tornado import web

from hub import workshop


class ClassroomAuthenticator(LocalAuthenticator, SharedPasswordAuthenticator):
    def normalize_username(self, username):
        return workshop.system_name(super().normalize_username(username))

    def validate_username(self, username):
        return not workshop.learner_name_problem(username) and super().validate_username(username)

    async def authenticate(self, handler, data):
        problem = workshop.learner_name_problem(data.get("username", ""))
        if problem:
            raise web.HTTPError(400, problem)  # shown on the hub's error page, not a bare 403
        return await super().authenticate(handler, data)

    def add_system_user(self, user):
        super().add_system_user(user)
        account = pwd.getpwnam(user.name)
        # useradd's HOME_MODE depends on the distribution: make sure only the learner gets in.
        os.chmod(account.pw_dir, 0o700)
        repo = workshop.course_repo()
        if os.path.isdir(repo):
            # The course is this clone, owned by another account: git refuses to read it unless
            # the learner's own config trusts it (env or -c settings do not reach upload-pack).
            config = os.path.join(account.pw_dir, ".gitconfig")
            with open(config, "a", encoding="utf-8") as out:
                out.write(f"[safe]\n\tdirectory = {repo}\n\tdirectory = {repo}/.git\n")
            os.chown(config, account.pw_uid, account.pw_gid)
