using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>Turns a routed hub ticket into the fields of an iTop UserRequest.</summary>
internal sealed class ItopTicketMapper(IOptions<ItopOptions> options)
{
    /// <summary>UserRequest's <c>title</c> holds 255 characters.</summary>
    private const int MaxTitleLength = 255;

    /// <summary>The hub is a portal for the collèges: iTop's <c>origin</c> says so.</summary>
    public const string Origin = "portal";

    public ItopUserRequestInput Map(TicketRouted routed)
    {
        var mapping = options.Value.Mapping;
        var ticket = routed.Ticket;
        return new ItopUserRequestInput
        {
            OrgId = mapping.Orgs.TryGetValue(ticket.CollegeUai, out var orgId) ? orgId : mapping.DefaultOrgId,
            CallerId = mapping.Callers.TryGetValue(ticket.CollegeUai, out var callerId) ? callerId : mapping.CallerId,
            Title = ticket.Title.Length <= MaxTitleLength ? ticket.Title : ticket.Title[..(MaxTitleLength - 1)] + "…",
            Description = ItopTicketContent.Render(routed),
            Urgency = UrgencyOf(ticket.Urgency),
            RequestType = RequestTypeOf(ticket.Type),
            Origin = Origin,
            ServiceId = mapping.Services.TryGetValue(ticket.Category, out var serviceId) ? serviceId : null,
            ServiceSubcategoryId = mapping.ServiceSubcategories.TryGetValue(ticket.Category, out var subcategoryId) ? subcategoryId : null,
        };
    }

    /// <summary>iTop urgency runs from "1" (critical) to "4" (low), the reverse of the hub's order.</summary>
    public static string UrgencyOf(string urgency) => urgency switch
    {
        "critical" => "1",
        "high" => "2",
        "low" => "4",
        _ => "3",
    };

    /// <summary>ITIL request management: an incident, or a service request ("demande").</summary>
    public static string RequestTypeOf(string type) => type == "request" ? "service_request" : "incident";
}
