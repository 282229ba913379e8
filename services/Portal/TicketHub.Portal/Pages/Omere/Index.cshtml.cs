using TicketHub.Contracts;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Omere;

/// <summary>The building service's page: Omère tickets and the relay queue, per unité territoriale.</summary>
public sealed class IndexModel(IntakeClient intake) : ToolQueuePageModel(intake)
{
    protected override string Tool => RouteTargets.Omere;

    protected override bool RelayByUt => true;

    public override string Path => "/omere";

    public override string Caption => Ut is null ? "Demandes transmises au service des bâtiments" : $"Demandes transmises au service des bâtiments, {Ut}";
}
