/**
 * Wraps the fetch that provider API clients make each HTTP request with, so that every request
 * (each retry too) is counted by its status, or as `error` when nothing answered.
 */
export function countApiRequests(
  fetchOnce: typeof fetch,
  count: (status: number | "error") => void,
): typeof fetch {
  return async (input, init) => {
    try {
      const response = await fetchOnce(input, init);
      count(response.status);
      return response;
    } catch (error) {
      count("error");
      throw error;
    }
  };
}
