"""JupyterHub for a workshop on one machine: `make hub` (`python -m hub.run`) starts it with this
file, in its own process, so `hub` imports as a package here.

Learners sign in with the workshop password (PARAMLAB_HUB_PASSWORD) and any learner name; each
gets a Unix account `pl-<name>` (home 0700) and a JupyterLab server running as that account from
the course's .venv, with the course's settings and nbgitpuller. Idle servers are stopped by
jupyterhub-idle-culler after PARAMLAB_HUB_CULL_TIMEOUT seconds (default 3600). The variables are
listed in hub/workshop.py's Settings.from_env.
"""

import os
import sys

from hub import workshop
from hub.authenticator import ClassroomAuthenticator

c = get_config()  # noqa: F821  (provided by JupyterHub when it reads this file)

try:
    settings = workshop.Settings.from_env()
except workshop.SettingsError as err:
    sys.exit(f"paramlab hub: {err}")
RUN = settings.runtime_dir
RUN.mkdir(mode=0o700, parents=True, exist_ok=True)

# Addresses: the public proxy (127.0.0.1:8000 unless overridden), the hub's API and the proxy's.
c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.api_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(workshop.PROXY)]
c.ConfigurableHTTPProxy.pid_file = str(RUN / "jupyterhub-proxy.pid")

# State lives in the runtime directory (mode 0700), not in the checkout.
c.JupyterHub.db_url = f"sqlite:///{RUN / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(RUN / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(RUN / "jupyterhub.pid")
# Restarting the hub must not stop learners' servers: they are picked up again.
c.JupyterHub.cleanup_servers = False

# Sign-in: the shared workshop password; a Unix account per learner, created at first sign-in.
c.JupyterHub.authenticator_class = ClassroomAuthenticator
c.ClassroomAuthenticator.user_password = settings.password
c.ClassroomAuthenticator.allow_all = True  # anyone with the workshop password
c.ClassroomAuthenticator.create_system_users = True
# The instructor signs in as PARAMLAB_HUB_ADMIN ("instructor") with PARAMLAB_HUB_ADMIN_PASSWORD
# (32+ characters) and gets the admin page; without that password nobody is admin.
if settings.admin_password:
    c.ClassroomAuthenticator.admin_users = {workshop.system_name(settings.admin)}
    c.ClassroomAuthenticator.admin_password = settings.admin_password
c.ClassroomAuthenticator.add_user_cmd = [
    "useradd",
    "--create-home",
    "--user-group",
    "--shell",
    "/bin/bash",
    "-K",
    "HOME_MODE=0700",
]

# Learners' servers: the course's .venv, as the learner, in the learner's home.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(workshop.VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "PATH": f"{workshop.VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

# Idle servers are stopped (their files stay in the learner's home).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={settings.cull_timeout}",
            f"--cull-every={max(1, min(300, settings.cull_timeout // 2))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

# An API token for scripts (the tests set one): manage learners and issue their tokens.
service_token = os.environ.get("PARAMLAB_HUB_SERVICE_TOKEN")
if service_token:
    c.JupyterHub.services.append({"name": "classroom-admin", "api_token": service_token})
    c.JupyterHub.load_roles.append(
        {
            "name": "classroom-admin",
            "scopes": ["admin:users", "admin:servers", "tokens", "list:services", "read:services"],
            "services": ["classroom-admin"],
        }
    )
