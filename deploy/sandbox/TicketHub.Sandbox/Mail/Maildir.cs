using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace TicketHub.Sandbox.Mail;

/// <summary>
/// Reads the Maildir the sandbox's SMTP server writes (<c>new/</c>, and <c>cur/</c> once a mail reader
/// has seen a message), parsing each message with MimeKit. Read-only: messages stay where they are.
/// </summary>
internal sealed partial class Maildir(IOptions<MailSandboxOptions> options)
{
    private static readonly string[] Folders = ["new", "cur"];

    /// <summary>The Maildir's full path; null when none is configured.</summary>
    public string? Path { get; } = string.IsNullOrWhiteSpace(options.Value.Maildir) ? null : System.IO.Path.GetFullPath(options.Value.Maildir);

    public bool Exists => Path is not null && Directory.Exists(System.IO.Path.Combine(Path, "new"));

    /// <summary>Every message, newest delivery first, each with how many messages share its Message-Id.</summary>
    public IReadOnlyList<MaildirEntry> List()
    {
        var entries = Files().Select(Read).OfType<MaildirEntry>().ToList();
        var copies = entries.Where(entry => entry.MessageId is not null)
            .GroupBy(entry => entry.MessageId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return [.. entries
            .Select(entry => entry with { Copies = entry.MessageId is { } id ? copies[id] : 1 })
            .OrderByDescending(entry => entry.DeliveredAt)
            .ThenByDescending(entry => entry.Key, StringComparer.Ordinal)];
    }

    /// <summary>The message stored under <paramref name="key"/> (its Maildir unique name), or null.</summary>
    public (MaildirEntry Entry, MimeMessage Message)? Open(string key)
    {
        if (!Key().IsMatch(key))
        {
            return null;
        }

        foreach (var file in Files().Where(file => KeyOf(file) == key))
        {
            var message = Load(file);
            if (message is not null)
            {
                return (Entry(file, message), message);
            }
        }

        return null;
    }

    private IEnumerable<FileInfo> Files() =>
        Path is null
            ? []
            : Folders.Select(folder => new DirectoryInfo(System.IO.Path.Combine(Path, folder)))
                .Where(folder => folder.Exists)
                .SelectMany(folder => folder.EnumerateFiles())
                .Where(file => !file.Name.StartsWith('.'));

    private static MaildirEntry? Read(FileInfo file) => Load(file) is { } message ? Entry(file, message) : null;

    /// <summary>Null when the file went away meanwhile (a mail reader moved it from new/ to cur/).</summary>
    private static MimeMessage? Load(FileInfo file)
    {
        try
        {
            return MimeMessage.Load(file.FullName);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static MaildirEntry Entry(FileInfo file, MimeMessage message) => new(
        KeyOf(file),
        new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero),
        message.Headers.Contains(HeaderId.Date) ? message.Date : null,
        string.Join(", ", message.From.Select(address => address.ToString())),
        string.Join(", ", message.To.Select(address => address.ToString())),
        message.Subject ?? "",
        string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId);

    /// <summary>The unique name, without the <c>:2,flags</c> info a mail reader adds in cur/.</summary>
    private static string KeyOf(FileInfo file) => file.Name.Split(':', 2)[0];

    [GeneratedRegex(@"^[A-Za-z0-9._=,-]+$")]
    private static partial Regex Key();
}

/// <summary>A message of the Maildir, as listed; <see cref="Copies"/> counts the messages with its Message-Id.</summary>
internal sealed record MaildirEntry(
    string Key,
    DateTimeOffset DeliveredAt,
    DateTimeOffset? Date,
    string From,
    string To,
    string Subject,
    string? MessageId)
{
    public int Copies { get; init; } = 1;
}
