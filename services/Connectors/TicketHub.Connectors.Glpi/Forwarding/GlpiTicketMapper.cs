using Microsoft.Extensions.Options;
using TicketHub.Connectors.Glpi.Glpi;
using TicketHub.Contracts;

namespace TicketHub.Connectors.Glpi.Forwarding;

/// <summary>Who asked, as GLPI records it: one of its users, or an e-mail to notify.</summary>
/// <param name="UserId">The GLPI user whose e-mail is the requester's, or null.</param>
/// <param name="Email">The requester's e-mail, notified when GLPI has no such user.</param>
internal sealed record GlpiRequester(int? UserId, string? Email)
{
    public static GlpiRequester None { get; } = new(null, null);
}

/// <summary>Turns a routed hub ticket into the fields of a GLPI ticket.</summary>
internal sealed class GlpiTicketMapper(IOptions<GlpiOptions> options)
{
    /// <param name="requester">Who asked (<see cref="GlpiRequesters"/>).</param>
    /// <param name="sendExternalId">GLPI has <c>externalid</c> (GLPI 11): the reference goes there too.</param>
    public GlpiTicketInput Map(TicketRouted routed, GlpiRequester requester, bool sendExternalId)
    {
        var mapping = options.Value.Mapping;
        var ticket = routed.Ticket;
        return new GlpiTicketInput
        {
            Name = GlpiReference.Title(routed.Reference, ticket.Title),
            Content = GlpiTicketContent.Render(routed),
            EntityId = EntityOf(routed.Ticket.CollegeUai),
            CategoryId = mapping.Categories.TryGetValue(ticket.Category, out var categoryId) && categoryId > 0 ? categoryId : null,
            Type = TypeOf(ticket.Type),
            Urgency = UrgencyOf(ticket.Urgency),
            ExternalId = sendExternalId ? routed.Reference : null,
            RequesterUserId = requester.UserId is { } userId ? userId : requester.Email is not null ? 0 : null,
            RequesterNotification = requester.UserId is null && requester.Email is { } email ? GlpiRequesterNotification.To(email) : null,
        };
    }

    /// <summary>The collège's GLPI entity, else <c>Glpi:Mapping:DefaultEntityId</c>.</summary>
    /// <summary>The GLPI entity of a collège's tickets and documents.</summary>
    public int EntityOf(string collegeUai)
    {
        var mapping = options.Value.Mapping;
        return mapping.Entities.TryGetValue(collegeUai, out var entityId) ? entityId : mapping.DefaultEntityId;
    }

    /// <summary>GLPI: 1 incident, 2 request ("demande").</summary>
    public static int TypeOf(string type) => type switch
    {
        "request" => 2,
        _ => 1,
    };

    /// <summary>GLPI urgency runs 1 (very low) to 5 (very high); the hub's four levels start at low.</summary>
    public static int UrgencyOf(string urgency) => urgency switch
    {
        "low" => 2,
        "high" => 4,
        "critical" => 5,
        _ => 3,
    };
}
