"""Validates -20 messages (JSON, EXIficient shape) with Josev's own message models, as Josev does
after decoding EXI; prints one line per message: `<Name> accepted` or `<Name> rejected: <reason>`.

Usage: validate.py '{"ScheduleExchangeRes": {...}}' ...
"""

import json
import sys

from iso15118.shared.messages.iso15118_20 import ac, common_messages, dc

for argument in sys.argv[1:]:
    document = json.loads(argument)
    name = next(iter(document))
    # Josev names the AC and DC models without the underscore (ACChargeLoopReq for AC_ChargeLoopReq).
    module = ac if name.startswith("AC_") else dc if name.startswith("DC_") else common_messages
    model = getattr(module, name.replace("_", "", 1) if module is not common_messages else name)
    try:
        model.parse_obj(document[name])
        print(f"{name} accepted")
    except Exception as error:  # pydantic's ValidationError, whatever its version
        reason = " ".join(str(error).split())
        print(f"{name} rejected: {reason}")
