using System.Security.Cryptography;
using System.Text;

namespace TicketHub.Connectors.Shared.Forwarding;

/// <summary>
/// Ids computed from what they name, so that a redelivered message produces the same id (one relay
/// item, one e-mail Message-Id, one message in the tool) instead of a new one.
/// </summary>
internal static class StableIds
{
    /// <summary>A version-8 (name-based, SHA-256) GUID of <paramref name="parts"/>.</summary>
    public static Guid Of(params string[] parts)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
