using MimeKit;
using TicketHub.Intake.Attachments;

namespace TicketHub.Intake.Notifications;

/// <summary>
/// The files a person sent with a reply by e-mail, through the checks of the portal's files
/// (<see cref="TicketForm.Check"/>, at most <see cref="TicketForm.MaxFiles"/>): the parts attached
/// (<c>Content-Disposition: attachment</c>, a forwarded mail included), and the pictures a phone puts
/// inline under a file name; never the images an HTML body shows (a signature's logo, inside
/// <c>multipart/related</c>), nor the text of the mail itself.
/// </summary>
public static class ReplyFiles
{
    /// <summary>What the reply's files became: those accepted, and a French line for each refused.</summary>
    public sealed record Checked(IReadOnlyList<NewAttachment> Accepted, IReadOnlyList<string> Refused);

    public static async Task<Checked> CheckAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var accepted = new List<NewAttachment>();
        var refused = new List<string>();
        var position = 0;
        foreach (var (name, content) in await ReadAsync(message, cancellationToken))
        {
            if (position >= TicketForm.MaxFiles)
            {
                refused.Add($"La pièce jointe « {AttachmentFileName.Clean(name, position)} » n'a pas été prise : au plus {TicketForm.MaxFiles} pièces jointes par message.");
                position++;
                continue;
            }

            var check = TicketForm.Check(name, content, position++);
            if (check.Accepted is { } file)
            {
                accepted.Add(file);
            }
            else
            {
                refused.Add(check.Refusal!);
            }
        }

        return new Checked(accepted, refused);
    }

    private static async Task<List<(string? Name, byte[] Content)>> ReadAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var files = new List<(string?, byte[])>();
        foreach (var entity in Files(message.Body, inRelated: false))
        {
            using var content = new MemoryStream();
            switch (entity)
            {
                case MessagePart { Message: { } forwarded } part:
                    await forwarded.WriteToAsync(content, cancellationToken);
                    files.Add((part.ContentDisposition?.FileName ?? "message-joint.eml", content.ToArray()));
                    break;
                case MimePart { Content: { } body } part:
                    await body.DecodeToAsync(content, cancellationToken);
                    files.Add((part.FileName, content.ToArray()));
                    break;
                case MimePart part:
                    files.Add((part.FileName, []));
                    break;
            }
        }

        return files;
    }

    /// <summary>The parts that are files, in the mail's order; a forwarded mail is one file (its own parts are its business).</summary>
    private static IEnumerable<MimeEntity> Files(MimeEntity? entity, bool inRelated)
    {
        switch (entity)
        {
            case Multipart multipart:
                var related = multipart.ContentType.MediaSubtype.Equals("related", StringComparison.OrdinalIgnoreCase);
                foreach (var child in multipart.SelectMany(child => Files(child, related)))
                {
                    yield return child;
                }

                break;
            case MessagePart forwarded when forwarded.ContentDisposition?.IsAttachment == true:
                yield return forwarded;
                break;
            case MimePart part when part.IsAttachment || (part.FileName is not null && !inRelated && !part.ContentType.IsMimeType("text", "*")):
                yield return part;
                break;
        }
    }
}
