"""Running generated code: the sandbox (sandbox.py), its OS isolation (isolation.py, fsview.py,
runfolder.py, seccomp.py), the verdict channel (channel.py) and the project copied in
(project.py)."""
