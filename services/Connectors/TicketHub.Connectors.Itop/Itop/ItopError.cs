namespace TicketHub.Connectors.Itop.Itop;

/// <summary>
/// A non-zero <c>code</c> in iTop's answer, which comes with HTTP 200 all the same. rest.php
/// prefixes the message of an exception with "Error: ".
/// </summary>
internal sealed record ItopError(int Code, string Message)
{
    /// <summary>Wrong credentials, a REST account without the "REST Services User" profile, or missing rights on the class.</summary>
    public const int Unauthorized = 1;

    /// <summary>The operation failed: refused value, missing mandatory field, unknown object, invalid stimulus…</summary>
    public const int InternalError = 100;

    /// <summary>The object a key names does not exist (deleted in iTop since).</summary>
    public bool IsUnknownObject =>
        Code == InternalError
        && (Message.Contains("Invalid object", StringComparison.Ordinal) || Message.Contains("No item found", StringComparison.Ordinal));

    public override string ToString() => $"code {Code}: {Message}";
}

/// <summary>iTop answered the call with a non-zero code: it refused or failed the operation.</summary>
internal sealed class ItopException(string operation, ItopError error)
    : Exception($"iTop refused {operation} ({error})")
{
    public ItopError Error { get; } = error;
}
