"""Josev's SECC with a test-bench power module, for the interop tests (InteropTests/JosevTests.swift).

Josev's bundled EVSE simulator is a stub: its present voltage is a constant 1 V and its present
current a constant value, so an EV that waits for the EVSE voltage to reach its own before closing
its contactors (ours does) never sees pre-charge complete; Josev's own EV gives up waiting after
five DC_PreChargeReq and goes on regardless. A charger maker integrates Josev
through EVSEControllerInterface; this does the same with the simplest physical model: the module
reaches the commanded voltage at once, and once the contactors are closed the bus sits at the
battery's voltage and carries the commanded current (Scheduled) or the most both sides allow
(Dynamic, where Josev passes no target and the charger decides: BENCH_DYNAMIC_POWER watts, negative
to discharge the EV, default as much as allowed), never more than the limits Josev's simulator
announced in DC_ChargeParameterDiscoveryRes (1 kW, 100 A each way).

For AC, Josev's charge loop asks nothing of a power module: its EVSETargetActivePower comes from
the session limits, whose simulator defaults are 10 W to charge *and* 10 W to discharge (Josev
then logs an ERROR on every AC_ChargeLoopRes and targets 10 W). The bench states one direction:
BENCH_AC_POWER watts (negative: take power from the EV), default 11 kW to charge, as a total
(no per-phase elements), and meters what the EV reports it draws.

Run in a directory holding Josev's `.env` (NETWORK_INTERFACE, PROTOCOLS, AUTH_MODES, ...).
"""

import asyncio
import logging
import os

from iso15118.secc import SECCHandler
from iso15118.secc.controller.interface import ServiceStatus
from iso15118.secc.controller.simulator import SimEVSEController
from iso15118.secc.secc_settings import Config
from iso15118.shared.exificient_exi_codec import ExificientEXICodec
from iso15118.shared.messages.enums import ServiceV20

logger = logging.getLogger(__name__)



class BenchPowerModule(SimEVSEController):
    async def send_charging_command(self, ev_target_voltage, ev_target_current,
                                    is_precharge=False, is_session_bpt=False):
        ev = self.ev_data_context
        # Josev 0.31 passes is_session_bpt in the is_precharge position from the charge loop;
        # pre-charge is the one call with a target current of exactly 0.
        if is_precharge and ev_target_current == 0:
            self.evse_data_context.present_voltage = ev_target_voltage
            self.evse_data_context.present_current = 0
            return
        announced = await self.get_dc_charge_params_v20(ServiceV20.DC_BPT)
        value = lambda r: r.get_decimal_value()
        voltage = max(ev.present_voltage or ev_target_voltage or 0, 1)
        if ev_target_current is not None:
            current = ev_target_current
        elif os.environ.get("BENCH_DYNAMIC_POWER"):
            current = float(os.environ["BENCH_DYNAMIC_POWER"]) / voltage
        else:
            limits = ev.session_limits.dc_limits
            current = limits.max_charge_current or value(announced.evse_max_charge_current)
            if limits.max_charge_power:
                current = min(current, limits.max_charge_power / voltage)
        current = min(current, value(announced.evse_max_charge_current), value(announced.evse_max_charge_power) / voltage)
        current = max(current, -value(announced.evse_max_discharge_current), -value(announced.evse_max_discharge_power) / voltage)
        self.evse_data_context.present_voltage = voltage
        self.evse_data_context.present_current = current

    async def get_ac_charge_loop_params_v20(self, control_mode, selected_service):
        power = float(os.environ.get("BENCH_AC_POWER", "11000"))
        limits = self.evse_data_context.session_limits.ac_limits
        limits.max_charge_power, limits.max_discharge_power = (power, 0) if power >= 0 else (0, -power)
        limits.max_charge_power_l2 = limits.max_charge_power_l3 = None
        limits.max_discharge_power_l2 = limits.max_discharge_power_l3 = None
        limits.max_charge_reactive_power = limits.max_discharge_reactive_power = 0
        limits.max_charge_reactive_power_l2 = limits.max_charge_reactive_power_l3 = None
        limits.max_discharge_reactive_power_l2 = limits.max_discharge_reactive_power_l3 = None
        evse = self.evse_data_context
        present = self.ev_data_context.present_active_power
        evse.present_active_power = present if present is not None else 0
        evse.present_active_power_l2 = evse.present_active_power_l3 = None
        return await super().get_ac_charge_loop_params_v20(control_mode, selected_service)


async def main():
    config = Config()
    config.load_envs()
    config.print_settings()
    controller = BenchPowerModule()
    await controller.set_status(ServiceStatus.STARTING)
    await SECCHandler(exi_codec=ExificientEXICodec(), evse_controller=controller, config=config).start(config.iface)


if __name__ == "__main__":
    asyncio.run(main())
