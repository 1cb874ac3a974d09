"""The demo's Deploy wizard at /wizard: four steps (site, device, configuration, review) that
end by creating the device and deploying it, its progress shown by a ProgressBar until Complete.

Built from the toolkit: `Wizard` steps of `FieldSpec`s, `wizard.advance()` and the CRUD
preset's `wizard.html` / `partials/wizard_step.html`. The progress is the Devices view's
(its store and key, `devices:<id>:progress`, as the row action Deploy writes them), so the
devices list and any app process see it too. Every route passes the Devices view's check
for creating a device and its scope. A deploy takes $DEMO_DEPLOY_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from examples.demo.models import FIRMWARE, REGIONS, Device, DeviceStatus, Site
from examples.demo.views import DEPLOY_SECONDS
from fasthx_ui import FieldSpec, ProgressUnavailable, Wizard, WizardStep, is_htmx, progress_bar
from fasthx_ui.crud import Admin, get_db
from fasthx_ui.crud.db import open_session

STEPS_OF_A_DEPLOY = ("Uploading firmware", "Applying configuration", "Verifying", "Bringing online")
NO_STORE = "Deploying needs the progress store, which cannot be reached; nothing was created. Try again later."
tasks: set[asyncio.Task] = set()


def check_ip(text: str) -> str | None:
    """A field error unless `text` is an IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return "Enter an IP address, like 10.0.0.12."
    return None


def deploy_wizard(db: Session, region: object = None) -> Wizard:
    """The wizard's steps; the Site choices are the sites of `region` (the region the form sent)."""
    region = region if region in REGIONS else None
    sites = db.execute(select(Site.id, Site.name).where(Site.region == region).order_by(Site.name)).all() if region else []
    return Wizard([
        WizardStep("site", "Site", [
            FieldSpec("region", "select", required=True, choices=[(r, r) for r in REGIONS],
                      hx_get="/api/sites-for-region", hx_target="#site_id"),
            FieldSpec("site_id", "select", label="Site", required=True, choices=[(s.id, s.name) for s in sites],
                      placeholder="Select a region first" if not region else ""),
        ], description="Where the new device goes. The sites follow the region."),
        WizardStep("device", "Device", [
            FieldSpec("hostname", required=True, max_length=100, placeholder="e.g. edge-0001"),
            FieldSpec("ip_address", label="IP address", required=True, max_length=45, validate=check_ip),
            FieldSpec("serial_number", label="S/N", max_length=40),
        ]),
        WizardStep("config", "Configuration", [
            FieldSpec("firmware_version", "select", label="Firmware", required=True,
                      choices=[(v, f"Version {v}") for v in FIRMWARE]),
            FieldSpec("is_ha", "checkbox", label="High availability"),
            FieldSpec("ha_mode", "select", label="HA mode", required=True, depends_on="is_ha",
                      choices=[("active-standby", "Active-Standby"), ("active-active", "Active-Active")]),
            FieldSpec("notes", "textarea", max_length=500),
        ]),
        WizardStep("review", "Review", description="Check the device, then deploy it."),
    ], action="/wizard", id="deploy-wizard", finish_label="Deploy")


def add_wizard(app: FastAPI, admin: Admin) -> None:
    """Serve the Deploy wizard from `app`, each route behind the Devices view's create check."""
    devices = admin.views["devices"]
    router = APIRouter(dependencies=[devices.guard("create")])
    templates = admin.templates

    def page(request: Request, wizard: Wizard, state=None, status_code: int = 200):
        context = {"wizard": wizard, "wizard_state": state, "title": "Deploy wizard", "active_page": "wizard",
                   "intro": "Add a device and deploy it in four steps."}
        name = "partials/wizard_step.html" if is_htmx(request) else "wizard.html"
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    @router.get("/wizard", response_class=HTMLResponse)
    def start(request: Request, db: Session = Depends(get_db)):
        return page(request, deploy_wizard(db))

    @router.post("/wizard", response_class=HTMLResponse)
    async def submit(request: Request, db: Session = Depends(get_db)):
        form = await request.form()
        wizard = deploy_wizard(db, form.get("region"))
        state = wizard.advance(form, validators={"hostname": lambda name: hostname_taken(db, name)})
        if not state.finished:
            return page(request, wizard, state, 200 if state.ok else 422)
        device = Device(**state.values, status=DeviceStatus.DEPLOYING)
        db.add(device)
        db.flush()
        try:
            devices.progress_store.set(devices.name, device.id, 0, "Starting...")
        except ProgressUnavailable:
            db.rollback()
            state.finished, state.error = False, NO_STORE
            return page(request, wizard, state, 503)
        db.commit()
        start_deploy(devices, device.id)
        if not is_htmx(request):
            return RedirectResponse(f"/wizard/deployments/{device.id}", status_code=303)
        return templates.TemplateResponse(request, "partials/deployment_status.html", deployment(request, devices, device),
                                          headers={"HX-Push-Url": f"/wizard/deployments/{device.id}"})

    @router.get("/wizard/deployments/{device_id}", response_class=HTMLResponse)
    def deployment_page(request: Request, device_id: int, db: Session = Depends(get_db)):
        device = db.scalars(devices.scope(request, select(Device).where(Device.id == device_id))).first()
        if device is None:
            context = {"title": "Not found", "message": f"No deployment {device_id}.", "back_url": "/wizard"}
            return templates.TemplateResponse(request, "not_found.html", context, status_code=404)
        return templates.TemplateResponse(request, "deployment.html", deployment(request, devices, device))

    @router.get("/wizard/deployments/{device_id}/progress", response_class=HTMLResponse)
    def progress(request: Request, device_id: int):
        return HTMLResponse(deploy_bar(request, devices, device_id))

    app.include_router(router)


def hostname_taken(db: Session, hostname: str) -> str | None:
    """A field error when a device already has `hostname`."""
    taken = db.scalar(select(func.count()).select_from(Device).where(Device.hostname == hostname))
    return "A device with this hostname exists already." if taken else None


def deploy_bar(request: Request, devices: Any, device_id: int) -> Markup:
    """The deployment's progress bar as stored now, polling itself until Complete or Failed
    (markup, not a response: the deployment page embeds it too)."""
    state = devices.progress_store.get(devices.name, device_id).running_as("Deploying...")
    return progress_bar(state, f"/wizard/deployments/{device_id}/progress", request=request,
                        name="Deployment progress", interval="500ms")


def deployment(request: Request, devices: Any, device: Device) -> dict:
    """The context of deployment.html: the device and its progress bar."""
    return {"device": device, "bar": deploy_bar(request, devices, device.id), "title": "Deployment",
            "active_page": "wizard"}


def start_deploy(devices: Any, device_id: int) -> None:
    """Run the deploy in the background: progress in steps, then the device is online."""
    task = asyncio.get_running_loop().create_task(run_deploy(devices, device_id))
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def run_deploy(devices: Any, device_id: int) -> None:
    pause = DEPLOY_SECONDS / (len(STEPS_OF_A_DEPLOY) + 1)
    for number, message in enumerate(STEPS_OF_A_DEPLOY):
        await asyncio.sleep(pause)
        report(devices, device_id, 100 * number // len(STEPS_OF_A_DEPLOY) + 5, message)
    await asyncio.sleep(pause)
    with open_session() as db:
        db.execute(update(Device).where(Device.id == device_id).values(status=DeviceStatus.ONLINE))
        db.commit()
    report(devices, device_id, 100, "Deployed")


def report(devices: Any, device_id: int, percent: int, message: str) -> None:
    """Write progress; a Redis gone away loses the bar's update, not the deployment."""
    with contextlib.suppress(ProgressUnavailable):
        devices.progress_store.set(devices.name, device_id, percent, message)
