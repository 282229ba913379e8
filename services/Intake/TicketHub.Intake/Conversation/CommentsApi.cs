using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Intake.Attachments;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Conversation;

public static class CommentsApi
{
    public const int TextMaxLength = 5_000;

    public const int AuthorMaxLength = 200;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "text" };

    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/tickets/{id}/comments", AddAsync).WithTags("Tickets")
            .RequireHubRoles(HubRoles.College, HubRoles.Dispatcher, HubRoles.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Ajouter une information à une demande")
            .WithDescription("Gardée dans le fil de la demande et transmise à l'outil qui la traite ; 409 si la demande est close. "
                + "En JSON {\"text\"}, ou, avec des fichiers, en multipart/form-data : une partie « comment » (ce JSON) et des parties « attachments », "
                + "vérifiées comme celles d'une nouvelle demande.");
        return app;
    }

    /// <summary>
    /// The collège (or the Pôle TIE on its behalf) adds information, with files if need be: kept in
    /// the timeline and sent to the tool holding the ticket. The author is the signed-in user, never a
    /// field of the body. Files pass the checks of a new ticket's (<see cref="TicketForm"/>) and the
    /// collège's daily quota of attachments (<see cref="TicketQuota"/>).
    /// </summary>
    private static async Task<Results<Created<CommentView>, ProblemHttpResult>> AddAsync(
        string id, HttpContext context, TicketStore tickets, ConversationStore conversation, TicketQuota quota, CancellationToken cancellationToken)
    {
        var user = context.HubUser();
        if (TicketAccess.Refusal(user, await tickets.FindScopeAsync(id, cancellationToken)) is { } refusal)
        {
            return refusal;
        }

        var ticket = await tickets.FindAsync(id, cancellationToken);
        if (ticket is null)
        {
            return TicketAccess.Refusal(user, null)!;
        }

        var (document, _, files, fileErrors, problem) = await TicketForm.ReadJsonOrFormAsync(context.Request, TicketForm.CommentPart, notJsonDetail: null, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using var json = document!;
        var (text, errors) = Parse(json.RootElement);
        foreach (var (field, messages) in fileErrors ?? new Dictionary<string, string[]>())
        {
            errors[field] = messages;
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "Le message contient des erreurs : corrigez les champs indiqués.");
        }

        if (await quota.CheckCommentFilesAsync(ticket!.CollegeUai, files.Sum(f => f.Content.LongLength), cancellationToken) is { } overQuota)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, overQuota);
        }

        var author = Cut(user.Name, AuthorMaxLength);
        var result = await conversation.AddCommentAsync(ticket.Id, text!, author, user.IsCollege ? "requester" : user.Role, files, cancellationToken);
        if (!result.Found)
        {
            return Problems.Of(StatusCodes.Status404NotFound, TicketAccess.NotFoundDetail);
        }

        return result.IsClosed
            ? Problems.Of(StatusCodes.Status409Conflict, "Cette demande est close : ouvrez une nouvelle demande pour signaler un nouveau problème.")
            : TypedResults.Created($"/api/v1/tickets/{ticket.Id}", result.Comment!);
    }

    private static (string? Text, Dictionary<string, string[]> Errors) Parse(JsonElement root)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Le corps doit être un objet JSON {\"text\"}."];
            return (null, errors);
        }

        JsonFields.RejectUnknown(root, Fields, errors);
        if (errors.ContainsKey("authorName"))
        {
            errors["authorName"] = ["L'auteur est la personne connectée : retirez « authorName »."];
        }

        var text = JsonFields.Text(root, "text", TextMaxLength, errors, multiLine: true);
        if (text is null && !errors.ContainsKey("text"))
        {
            errors["text"] = ["Écrivez le message à transmettre."];
        }

        return (text, errors);
    }

    /// <summary><paramref name="text"/> cut to <paramref name="length"/> characters, never between the two halves of a surrogate pair.</summary>
    internal static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
}
