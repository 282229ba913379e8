using Microsoft.Extensions.Options;
using TicketHub.Connectors.Itop.Itop;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Itop.Forwarding;

/// <summary>A ticket to create in iTop: its class and its fields.</summary>
internal sealed record ItopTicketDraft(string Class, ItopTicketInput Fields);

/// <summary>
/// Turns a routed hub ticket into an iTop ticket: an Incident or a UserRequest (<see cref="ItopTicketClasses"/>),
/// in the collège's organization, opened for the collège's caller, with the requester's name and
/// e-mail in the description, and the category's service and subcategory when mapped.
/// </summary>
internal sealed class ItopTicketMapper(IOptions<ItopOptions> options, ItopTicketClasses classes)
{
    /// <summary>UserRequest's <c>title</c> holds 255 characters.</summary>
    private const int MaxTitleLength = 255;

    /// <summary>The hub is a portal for the collèges: iTop's <c>origin</c> says so.</summary>
    public const string Origin = "portal";

    public async Task<ItopTicketDraft> MapAsync(TicketRouted routed, CancellationToken cancellationToken)
    {
        var (className, requestType) = await classes.ForAsync(routed.Ticket.Type, cancellationToken);
        return new ItopTicketDraft(className, Fields(routed, requestType));
    }

    /// <summary>The organization of the collège of <paramref name="routed"/>.</summary>
    /// <summary>The iTop organisation of a collège's tickets and attachments.</summary>
    public int OrgOf(string collegeUai) =>
        options.Value.Mapping.Orgs.TryGetValue(collegeUai, out var orgId) ? orgId : options.Value.Mapping.DefaultOrgId;

    private ItopTicketInput Fields(TicketRouted routed, string? requestType)
    {
        var mapping = options.Value.Mapping;
        var ticket = routed.Ticket;
        return new ItopTicketInput
        {
            OrgId = OrgOf(ticket.CollegeUai),
            CallerId = mapping.Callers.TryGetValue(ticket.CollegeUai, out var callerId) ? callerId : mapping.CallerId,
            Title = ticket.Title.Length <= MaxTitleLength ? ticket.Title : ticket.Title[..(MaxTitleLength - 1)] + "…",
            Description = ItopTicketContent.Render(routed),
            Urgency = UrgencyOf(ticket.Urgency),
            RequestType = requestType,
            Origin = Origin,
            ServiceId = mapping.Services.TryGetValue(ticket.Category, out var serviceId) ? serviceId : null,
            ServiceSubcategoryId = mapping.SubcategoryOf(ticket.Category, ticket.Type),
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
}
