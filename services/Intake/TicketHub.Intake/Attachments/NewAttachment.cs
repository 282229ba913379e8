using System.Security.Cryptography;
using TicketHub.Contracts;

namespace TicketHub.Intake.Attachments;

/// <summary>A file accepted with a new ticket: its cleaned name, the type recognised from its content, its bytes.</summary>
public sealed record NewAttachment(Guid Id, string FileName, string ContentType, byte[] Content)
{
    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/>.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));

    public AttachmentRef ToRef() => new(Id, FileName, ContentType, Content.LongLength, Sha256);
}
