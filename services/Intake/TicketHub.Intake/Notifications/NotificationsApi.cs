using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// What a person receives, chosen from the signed link of any mail (issue 15): no account needed, the
/// link's token is the proof (<see cref="NotificationLinks"/>); a wrong token is the same 403 whether
/// or not the address is known. <c>POST /api/v1/notifications/unsubscribe</c> is RFC 8058's one-click
/// address: a POST unsubscribes, a GET never does (405).
/// </summary>
public static class NotificationsApi
{
    public const string TokenRefusal = "Ce lien n'est pas valable : utilisez celui du dernier courriel reçu de TicketHub.";

    private static readonly HashSet<string> PreferenceFields = new(StringComparer.Ordinal) { "email", "token", "mode" };

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").AllowAnonymous();
        group.MapGet("/preferences", GetAsync)
            .WithSummary("Lire ce qu'une adresse reçoit")
            .WithDescription("email et token viennent du lien d'un courriel de TicketHub. Réponse {email, mode, bounced} ; mode immediate, needs-answer ou none.");
        group.MapPut("/preferences", PutAsync)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Choisir ce qu'une adresse reçoit")
            .WithDescription("Corps {email, token, mode} : immediate (tout, tout de suite), needs-answer (seulement ce qui demande une réponse), none (rien).");
        group.MapPost("/unsubscribe", UnsubscribeAsync)
            .WithSummary("Se désabonner en un clic (RFC 8058)")
            .WithDescription("Paramètres adresse et jeton de l'en-tête List-Unsubscribe ; corps List-Unsubscribe=One-Click. L'adresse ne reçoit plus rien.");
        return app;
    }

    private static async Task<Results<Ok<PreferenceView>, ProblemHttpResult>> GetAsync(string? email, string? token, NotificationLinks links,
        NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        if (email is null || !links.Verify(email, token))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, TokenRefusal);
        }

        var preference = await preferences.FindAsync(email, cancellationToken);
        return TypedResults.Ok(new PreferenceView(preference.Email, preference.Mode, preference.BouncedAt is not null));
    }

    private static async Task<Results<Ok<PreferenceView>, ProblemHttpResult>> PutAsync(HttpContext context, NotificationLinks links,
        NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        var (document, _, problem) = await JsonRequest.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var json = document!;
        var root = json.RootElement;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["Le corps doit être un objet JSON {\"email\", \"token\", \"mode\"}."] },
                "Le choix contient des erreurs.");
        }

        JsonFields.RejectUnknown(root, PreferenceFields, errors);
        var email = JsonFields.Text(root, "email", 254, errors);
        var token = JsonFields.Text(root, "token", 100, errors);
        var mode = JsonFields.Text(root, "mode", 20, errors);
        if (email is null || !links.Verify(email, token))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, TokenRefusal);
        }

        if (mode is null || !NotificationModes.All.Contains(mode))
        {
            errors["mode"] = ["Choisissez immediate (tout, tout de suite), needs-answer (seulement ce qui demande une réponse) ou none (rien)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Le choix contient des erreurs : corrigez les champs indiqués.");
        }

        await preferences.SetModeAsync(email, mode!, cancellationToken);
        return TypedResults.Ok(new PreferenceView(NotificationPreferences.Normalise(email), mode!, false));
    }

    private static async Task<Results<Ok<PreferenceView>, ProblemHttpResult>> UnsubscribeAsync(string? adresse, string? jeton, NotificationLinks links,
        NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        if (adresse is null || !links.Verify(adresse, jeton))
        {
            return Problems.Of(StatusCodes.Status403Forbidden, TokenRefusal);
        }

        await preferences.SetModeAsync(adresse, NotificationModes.None, cancellationToken);
        return TypedResults.Ok(new PreferenceView(NotificationPreferences.Normalise(adresse), NotificationModes.None, false));
    }
}

/// <param name="Bounced">The mail server refused this address for good: nothing is sent to it until a choice is made again.</param>
public sealed record PreferenceView(string Email, string Mode, bool Bounced);
