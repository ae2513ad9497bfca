package io.github.c2mspring.emulator;

/**
 * What answers the requests of one endpoint, once the server has routed them, counted
 * them and applied any injected fault.
 */
@FunctionalInterface
interface Route {

	/**
	 * Answer a request.
	 * @param request the request
	 * @return the answer
	 */
	Answer answer(Request request);

}
