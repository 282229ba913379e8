using System.Net;
using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace TicketHub.Portal.Tests;

/// <summary>What intake and the classifier answer in these tests.</summary>
internal static class Fakes
{
    public const string College = "0931234X";

    public static readonly Guid TicketId = Guid.Parse("5f0b6a4e-8a55-4f0f-9d2e-1c1f2a3b4c5d");

    public static void Classifier(WireMockServer classifier)
    {
        classifier.Given(Request.Create().WithPath("/api/v1/categories").UsingGet())
            .RespondWith(Json(new object[]
            {
                new { code = "vpi", label = "Vidéoprojecteur interactif (VPI/ENI)", zoneHint = "ZP", building = false },
                new { code = "poste-administratif", label = "Ordinateur de l'administration", zoneHint = "ZA", building = false },
                new { code = "ent", label = "ENT (espace numérique de travail)", zoneHint = (string?)null, building = false },
            }));
        var college = new { uai = College, name = "Collège Jean Moulin", commune = "Aubervilliers", ut = "UT1", citeMixte = false, zaRepriseDate = "2024-01-08", builtYear = 1972, updatedAt = "2026-01-01T00:00:00Z" };
        classifier.Given(Request.Create().WithPath($"/api/v1/colleges/{College}").UsingGet()).RespondWith(Json(college));
        classifier.Given(Request.Create().WithPath("/api/v1/colleges").UsingGet()).RespondWith(Json(new[] { college }));
    }

    public static object Ticket(string status = "forwarded", string title = "Le VPI ne s'allume plus", string description = "Depuis ce matin.",
        object? route = null, string[]? flags = null, object[]? attachments = null, object[]? timeline = null,
        string? failureReason = null, string? failureDetail = null) => new
    {
        id = TicketId,
        reference = "TH-2026-000042",
        status,
        collegeUai = College,
        collegeName = "Collège Jean Moulin",
        ut = "UT1",
        requester = new { name = "Claire Martin", email = "claire.martin@ac-creteil.fr", phone = (string?)null },
        zone = "ZP",
        category = "vpi",
        type = "incident",
        buildingImpact = false,
        title,
        description,
        urgency = "high",
        location = "Salle 12",
        equipment = (string?)null,
        route = route ?? (status == "received" ? null : new
        {
            target = "infogerant", tool = "glpi", queue = (string?)null, rule = "R4", ruleSetVersion = "93-2025.1",
            explanation = "Le matériel pédagogique est maintenu par le Département : votre demande est transmise à l'infogérant du Département (GLPI).",
        }),
        flags = flags ?? [],
        external = status is "forwarded" or "in-progress" ? new { tool = "glpi", id = "17", url = "https://glpi.exemple.invalid/front/ticket.form.php?id=17" } : null,
        attachments = attachments ?? [],
        failureReason,
        failureDetail,
        history = Array.Empty<object>(),
        timeline = timeline ?? [],
        createdAt = "2026-03-12T09:00:00Z",
        updatedAt = "2026-03-12T09:01:00Z",
    };

    public static IResponseBuilder Json(object body, HttpStatusCode status = HttpStatusCode.OK) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));

    public static IResponseBuilder Problem(HttpStatusCode status, string title, string detail, Dictionary<string, string[]>? errors = null) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/problem+json; charset=utf-8")
            .WithBody(JsonSerializer.Serialize(new { type = "about:blank", title, status = (int)status, detail, errors }, JsonSerializerOptions.Web));
}
