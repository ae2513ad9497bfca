package io.github.c2mspring.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /letters}: submit a letter, answer with its job id.
 */
@RestController
public class LetterController {

	private final LetterService letters;

	public LetterController(LetterService letters) {
		this.letters = letters;
	}

	@PostMapping("/letters")
	public ResponseEntity<?> send(@RequestBody LetterRequest letter) {
		List<String> problems = problems(letter);
		if (!problems.isEmpty()) {
			return ResponseEntity.badRequest().body(Map.of("errors", problems));
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(this.letters.send(letter));
	}

	private static List<String> problems(LetterRequest letter) {
		List<String> problems = new ArrayList<>();
		if (!StringUtils.hasText(letter.documentRef())) {
			problems.add("documentRef is required: the reference of a document uploaded to Click2Mail");
		}
		if (letter.recipient() == null) {
			problems.add("recipient is required: {name, address, city, state, zip}");
		}
		else {
			if (!StringUtils.hasText(letter.recipient().name())) {
				problems.add("recipient.name is required");
			}
			if (!StringUtils.hasText(letter.recipient().address())) {
				problems.add("recipient.address is required");
			}
		}
		return problems;
	}

}
