using TicketHub.Contracts;
using TicketHub.Portal.Pages.Shared;
using TicketHub.Portal.Services;

namespace TicketHub.Portal.Pages.Rectorat;

/// <summary>The Rectorat's page: the PASS tickets, and what to enter in PASS by hand when PASS is in manual mode.</summary>
public sealed class IndexModel(IntakeClient intake) : ToolQueuePageModel(intake)
{
    protected override string Tool => RouteTargets.Pass;

    public override string Path => "/rectorat";

    public override string Caption => "Demandes transmises au Rectorat (PASS)";
}
