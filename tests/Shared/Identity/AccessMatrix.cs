namespace TicketHub.Testing;

/// <summary>
/// The cells of an access matrix, one letter each: <c>A</c> allowed (any answer but 401, 403 or a
/// 5xx: a validation error still proves the caller got past the access check), <c>U</c> 401,
/// <c>F</c> 403, <c>N</c> 404.
/// </summary>
public static class AccessMatrix
{
    public static void AssertCell(char expected, int status, string answer)
    {
        switch (expected)
        {
            case 'U':
                Assert.That(status, Is.EqualTo(401), answer);
                break;
            case 'F':
                Assert.That(status, Is.EqualTo(403), answer);
                break;
            case 'N':
                Assert.That(status, Is.EqualTo(404), answer);
                break;
            case 'A':
                Assert.That(status, Is.Not.AnyOf(401, 403).And.LessThan(500), answer);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expected), expected, "A cell is A, U, F or N.");
        }
    }
}
