"""The live pages' event streams (projector, room board) read as a browser's EventSource does: each
`event: state` carries the page's whole state as JSON."""
import json, urllib.request


def follow(url, on_state):
    """Calls on_state(state) for every state the stream at url carries, until it ends."""
    with urllib.request.urlopen(url) as r:
        event = None
        for raw in r:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "state":
                on_state(json.loads(line[6:]))
